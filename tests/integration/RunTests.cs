namespace Sealpod.IntegrationTests;

/// <summary><c>ctr run</c> through containerd 1.6 into a VM: output, exit codes, stdin, terminals.</summary>
public sealed class RunTests(PrivateContainerd containerd) : IClassFixture<PrivateContainerd>
{
    [Fact]
    public async Task Uname_prints_the_guest_kernel_not_the_host_kernel()
    {
        var run = await containerd.Run(["--rm"], "uname1", ["uname", "-r"]);

        Assert.True(run.ExitCode == 0, run + containerd.ContainerdLog());
        string release = run.Text.Trim();
        Assert.NotEqual((await Command.RunAsync("uname", ["-r"])).Text.Trim(), release);
        if (containerd.GuestKernelRelease.Length > 0)
        {
            Assert.Equal(containerd.GuestKernelRelease, release);
        }

        await containerd.AssertNothingLeftAsync("uname1");
    }

    [Fact]
    public async Task The_exit_code_reaches_ctr()
    {
        var run = await containerd.Run(["--rm"], "exit7", ["sh", "-c", "echo to-stderr >&2; exit 7"]);

        Assert.Equal(7, run.ExitCode);
        Assert.Contains("to-stderr", run.Stderr, StringComparison.Ordinal);
        await containerd.AssertNothingLeftAsync("exit7");
    }

    [Fact]
    public async Task Ten_mebibytes_of_stdin_come_back_byte_exact()
    {
        var data = RandomNumberGenerator.GetBytes(10 << 20);

        // ctr 1.6 always forwards its stdin (it has no -i).
        var run = await containerd.Run(["--rm"], "stdin1", ["cat"], stdin: data, timeout: TimeSpan.FromMinutes(5));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(data.Length, run.Stdout.Length);
        Assert.True(data.AsSpan().SequenceEqual(run.Stdout), "stdout differs from stdin");
        await containerd.AssertNothingLeftAsync("stdin1");
    }

    [Fact]
    public async Task A_terminal_container_gets_a_tty()
    {
        // ctr -t needs a terminal of its own: script(1) gives it one, sized 33x101. ctr passes that size on
        // with ResizePty right after the start; the container looks a second later.
        string ctr = $"ctr --address {containerd.Socket} -n {PrivateContainerd.Namespace} run --rm -t --fifo-dir {containerd.FifoDirectory} " +
            $"--runtime io.containerd.sealpod.v2 --runtime-config-path {containerd.ConfigPath} {PrivateContainerd.Image} tty1 sh -c 'tty; sleep 1; stty size; exit 3'";

        var run = await Command.RunAsync("script", ["-qefc", $"stty rows 33 cols 101; {ctr}", "/dev/null"]);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("/dev/pts/", run.Text, StringComparison.Ordinal);
        Assert.Contains("33 101", run.Text, StringComparison.Ordinal);
        await containerd.AssertNothingLeftAsync("tty1");
    }

    [Fact]
    public async Task A_binary_log_uri_hands_the_output_to_the_logging_program()
    {
        // containerd's logging protocol: stdout on descriptor 3, stderr on 4, ready once 5 is closed; SIGTERM at the end.
        string logs = Directory.CreateDirectory(Path.Combine(containerd.Root, "logs")).FullName;
        string logger = Path.Combine(containerd.Root, "logger.sh");
        await File.WriteAllTextAsync(logger, """
            #!/bin/sh
            dir=$2
            echo "$CONTAINER_ID $CONTAINER_NAMESPACE" > "$dir/identity"
            cat <&3 4<&- 5>&- > "$dir/stdout" & out=$!
            cat <&4 3<&- 5>&- > "$dir/stderr" & err=$!
            trap 'wait $out $err; echo terminated > "$dir/term"; exit 0' TERM
            exec 3<&- 4<&- 5>&-
            while :; do sleep 0.05; done

            """.Replace("\r", string.Empty, StringComparison.Ordinal));
        File.SetUnixFileMode(logger, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var run = await containerd.Run(["--rm", "--log-uri", $"binary://{logger}?dir={logs}"], "log1", ["sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"]);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Empty(run.Stdout);
        Assert.Equal($"log1 {PrivateContainerd.Namespace}\n", File.ReadAllText(Path.Combine(logs, "identity")));
        Assert.Equal("to-stdout\n", File.ReadAllText(Path.Combine(logs, "stdout")));
        Assert.Equal("to-stderr\n", File.ReadAllText(Path.Combine(logs, "stderr")));
        Assert.Equal("terminated\n", File.ReadAllText(Path.Combine(logs, "term")));
        await containerd.AssertNothingLeftAsync("log1");
    }
}
