#!/usr/bin/env bash
# Runs the toml-test TOML 1.0 cases through the decoder process, as toml-test's own runner does:
# each valid case's TOML goes in on stdin and the tagged JSON that comes out must equal the case's .json
# (compared by the decoder's --compare mode: floats and date-times by value); each invalid case must exit 1.
#
# usage: run-toml-test.sh [SUITE_DIR]   (default: <repo>/../shared/conformance/toml-test)
#        DECODER=/path/to/Sealpod.Toml.Decoder to use an already built decoder.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
suite="${1:-$repo/../shared/conformance/toml-test}"
tests="$suite/tests"
list="$tests/files-toml-1.0.0"
if [[ ! -f "$list" ]]; then
    echo "toml-test suite not found: $list" >&2
    exit 2
fi

if [[ -z "${DECODER:-}" ]]; then
    out="$(mktemp -d)"
    trap 'rm -rf "$out"' EXIT
    dotnet build "$here/Sealpod.Toml.Decoder.csproj" -c Release -o "$out/bin" --nologo -v q >&2
    DECODER="$out/bin/Sealpod.Toml.Decoder"
fi

scratch="$(mktemp)"
trap 'rm -f "$scratch"; [[ -n "${out:-}" ]] && rm -rf "$out"' EXIT

valid_pass=0 valid_total=0 invalid_pass=0 invalid_total=0
failures=()
while IFS= read -r case; do
    [[ "$case" == *.toml ]] || continue
    file="$tests/$case"
    if [[ "$case" == valid/* ]]; then
        valid_total=$((valid_total + 1))
        if "$DECODER" <"$file" >"$scratch" 2>/dev/null \
            && "$DECODER" --compare "${file%.toml}.json" <"$scratch" 2>/dev/null; then
            valid_pass=$((valid_pass + 1))
        else
            failures+=("$case")
        fi
    else
        invalid_total=$((invalid_total + 1))
        set +e
        "$DECODER" <"$file" >/dev/null 2>&1
        rc=$?
        set -e
        if [[ $rc -eq 1 ]]; then
            invalid_pass=$((invalid_pass + 1))
        else
            failures+=("$case (exit $rc)")
        fi
    fi
done <"$list"

for f in "${failures[@]}"; do
    echo "FAIL $f"
done
echo "valid: $valid_pass/$valid_total, invalid: $invalid_pass/$invalid_total"
passed=$((valid_pass + invalid_pass))
failed=$((valid_total + invalid_total - passed))
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
