namespace Sealpod.Runtime.Tests;

/// <summary>
/// binary:// stdio with a real logging program (a shell script speaking containerd's protocol: stdout on
/// descriptor 3, stderr on 4, readiness by closing 5); the guest side of the streams is scripted.
/// </summary>
public sealed class BinaryLoggerTests() : FdPollerTest("sealpod-logger-")
{
    [Fact]
    public void The_uri_gives_the_program_its_arguments_in_order_and_env_parameters()
    {
        var (path, arguments, environment) = BinaryLogger.Parse("binary:///usr/local/bin/my%20logger?--dir=/var/log/x&-v&name=a+b&env.LEVEL=debug&env.CONTAINER_ID=spoof");

        Assert.Equal("/usr/local/bin/my logger", path);
        Assert.Equal(["--dir", "/var/log/x", "-v", string.Empty, "name", "a b"], arguments);
        Assert.Equal(["LEVEL=debug"], environment);
        Assert.Throws<InvalidArgumentException>(() => BinaryLogger.Parse("binary://relative/logger"));
        Assert.Throws<InvalidArgumentException>(() => BinaryLogger.Parse("binary:///"));
    }

    [Fact]
    public async Task The_logger_gets_both_streams_its_identity_and_is_stopped_and_reaped_with_the_process()
    {
        string logger = Script("logger.sh", """
            #!/bin/sh
            # Writes each stream to a file in the directory given as "dir DIR"; flushes on SIGTERM.
            dir=$2
            echo "$CONTAINER_ID $CONTAINER_NAMESPACE $LEVEL $$" > "$dir/identity"
            # Builtins only: a shell waiting for a child (grep) shows its own wait-time mask, not the inherited one.
            while IFS= read -r line; do case "$line" in SigBlk:*|SigIgn:*) echo "$line";; esac; done < /proc/$$/status > "$dir/signals"
            cat <&3 4<&- 5>&- > "$dir/stdout" & out=$!
            cat <&4 3<&- 5>&- > "$dir/stderr" & err=$!
            # The trap is armed before fd 5 closes, which tells the shim the logger is ready (and may be stopped).
            trap 'wait $out $err; echo terminated > "$dir/term"; exit 0' TERM
            exec 3<&- 4<&- 5>&-
            while :; do sleep 0.05; done
            """);
        var stdout = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("out-line\n", 20_000)));
        var streams = new ScriptedStreams
        {
            StdoutSource = ScriptedStreams.Chunks(stdout, 10_000),
            StderrSource = ScriptedStreams.Once(Encoding.UTF8.GetBytes("to-stderr\n")),
        };
        string uri = $"binary://{logger}?dir={Uri.EscapeDataString(Temp.Path)}&env.LEVEL=info";

        var forwarder = await StdioForwarder.OpenAsync(Poller, new ProcessIoPaths(string.Empty, uri, uri, false), "c1", ("c1", "ns1"), NullLogger.Instance, CancellationToken.None);
        forwarder.Start(streams);
        await forwarder.OutputDrained;
        string[] identity = File.ReadAllText(Temp.Combine("identity")).Split(' ', StringSplitOptions.TrimEntries);
        await forwarder.DisposeAsync();

        Assert.Equal(["c1", "ns1", "info"], identity[..3]);
        Assert.True(stdout.AsSpan().SequenceEqual(File.ReadAllBytes(Temp.Combine("stdout"))), "stdout differs");
        Assert.Equal("to-stderr\n", File.ReadAllText(Temp.Combine("stderr")));
        Assert.Equal("terminated\n", File.ReadAllText(Temp.Combine("term")));
        Assert.False(Directory.Exists($"/proc/{identity[3]}"), "the logger was not reaped");

        // Started like any program: nothing blocked, SIGPIPE (13, bit 12) not ignored although the shim ignores it.
        var signals = File.ReadAllLines(Temp.Combine("signals")).ToDictionary(l => l.Split(':')[0], l => Convert.ToUInt64(l.Split(':')[1].Trim(), 16));
        Assert.Equal(0UL, signals["SigBlk"]);
        Assert.Equal(0UL, signals["SigIgn"] & (1UL << 12));
    }

    [Fact]
    public async Task A_logger_that_cannot_start_fails_the_open_naming_it()
    {
        var error = await Assert.ThrowsAsync<IOException>(() => StdioForwarder.OpenAsync(
            Poller, new ProcessIoPaths(string.Empty, "binary:///nonexistent/logger", "binary:///nonexistent/logger", false), "c1", ("c1", "ns1"), NullLogger.Instance, CancellationToken.None));

        Assert.Contains("/nonexistent/logger", error.Message, StringComparison.Ordinal);
    }

    private string Script(string name, string text)
    {
        string path = Temp.Combine(name);
        File.WriteAllText(path, text.Replace("\r", string.Empty, StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
