using System.Diagnostics;
using System.Text.Json;

namespace Sealpod.Agent.Tests.Infrastructure;

/// <summary>
/// A network namespace of the test's own with a veth pair in it, made and inspected with iproute2 (the agent
/// uses netlink only; the tests check it with the tool an operator would use). Disposing deletes the namespace
/// and everything in it; the host's own namespace is never touched.
/// </summary>
internal sealed class TestNetworkNamespace : IDisposable
{
    public TestNetworkNamespace()
    {
        Name = $"sp-agnet-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
        Run("ip", "netns", "add", Name);
    }

    public string Name { get; }

    public string Path => $"/var/run/netns/{Name}";

    /// <summary>Adds a veth link <paramref name="link"/> with <paramref name="mac"/>, its peer up so it has carrier.</summary>
    public void AddVeth(string link, string mac)
    {
        Ip("link", "add", link, "address", mac, "type", "veth", "peer", "name", link + "p");
        Ip("link", "set", link + "p", "up");
    }

    public string Ip(params string[] arguments) => Run("ip", ["-n", Name, .. arguments]);

    /// <summary><c>ip -j ...</c> parsed.</summary>
    public JsonElement IpJson(params string[] arguments)
    {
        using var document = JsonDocument.Parse(Ip(["-j", .. arguments]));
        return document.RootElement.Clone();
    }

    public void Dispose()
    {
        try
        {
            Run("ip", "netns", "del", Name);
        }
        catch (InvalidOperationException)
        {
            // Already gone; nothing left behind.
        }
    }

    private static string Run(string program, params string[] arguments)
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
        return process.ExitCode == 0
            ? output.Result
            : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {error}");
    }
}
