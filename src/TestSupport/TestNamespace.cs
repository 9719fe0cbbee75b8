namespace Sealpod.TestSupport;

/// <summary>
/// A network namespace of the test's own, made and inspected with iproute2 (the product code uses netlink only;
/// the tests check it against the tools an operator would use). Disposing deletes the namespace and with it
/// every interface, qdisc and filter in it. Nothing here touches the host's own namespace.
/// </summary>
public sealed class TestNamespace : IDisposable
{
    public TestNamespace()
    {
        Name = $"sp-ns-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
        Ip("netns", "add", Name);
    }

    public string Name { get; }

    public string Path => $"/var/run/netns/{Name}";

    /// <summary>Runs <c>ip -n NAME ...</c> and returns its output; a failure throws with stderr.</summary>
    public string IpIn(params string[] arguments) => Ip(["-n", Name, .. arguments]);

    /// <summary>Runs <c>tc -n NAME ...</c>.</summary>
    public string Tc(params string[] arguments) => Run("tc", ["-n", Name, .. arguments]);

    /// <summary>Runs a program inside the namespace (<c>ip netns exec</c>); returns the exit code and output.</summary>
    public (int ExitCode, string Output) Exec(params string[] arguments) => RunAllowingFailure("ip", ["netns", "exec", Name, .. arguments]);

    public void Dispose() => RunAllowingFailure("ip", ["netns", "del", Name]);

    public static string Ip(params string[] arguments) => Run("ip", arguments);

    private static string Run(string program, string[] arguments)
    {
        var (exitCode, output) = RunAllowingFailure(program, arguments);
        return exitCode == 0 ? output : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {exitCode}: {output}");
    }

    private static (int ExitCode, string Output) RunAllowingFailure(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }
}
