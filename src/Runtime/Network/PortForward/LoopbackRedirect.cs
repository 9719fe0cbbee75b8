namespace Sealpod.Runtime.Network.PortForward;

/// <summary>
/// The nat rule that sends what containerd's port-forward dials in the pod's namespace (127.0.0.1:PORT, any port) to
/// the forwarder's listener, which reads PORT back with SO_ORIGINAL_DST. The rules live in a chain of their own
/// (<see cref="Chain"/>) jumped to from OUTPUT, so removing them never touches anyone else's. Set with iptables (as
/// Kata's runtime-rs port forwarding does), run on a thread inside the namespace.
/// </summary>
public static class LoopbackRedirect
{
    public const string Chain = "SEALPOD-PORTFWD";

    /// <summary>Installs the chain and the jump; a chain left by an earlier attempt is replaced.</summary>
    public static async Task InstallAsync(string namespacePath, int listenerPort, CancellationToken cancellationToken)
    {
        await RemoveAsync(namespacePath, cancellationToken).ConfigureAwait(false);
        string port = listenerPort.ToString(CultureInfo.InvariantCulture);
        await RunAsync(namespacePath, ["-t", "nat", "-N", Chain], cancellationToken).ConfigureAwait(false);

        // The listener itself is dialled only through the rule below: never redirect it onto itself.
        await RunAsync(namespacePath, ["-t", "nat", "-A", Chain, "-p", "tcp", "-d", "127.0.0.1/32", "--dport", port, "-j", "RETURN"], cancellationToken).ConfigureAwait(false);
        await RunAsync(namespacePath, ["-t", "nat", "-A", Chain, "-p", "tcp", "-d", "127.0.0.1/32", "-j", "REDIRECT", "--to-ports", port], cancellationToken).ConfigureAwait(false);
        await RunAsync(namespacePath, ["-t", "nat", "-A", "OUTPUT", "-o", "lo", "-j", Chain], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the jump and the chain; absent ones are fine (idempotent), a namespace already gone too.</summary>
    public static async Task RemoveAsync(string namespacePath, CancellationToken cancellationToken)
    {
        if (!File.Exists(namespacePath))
        {
            return;
        }

        while (await RunAsync(namespacePath, ["-t", "nat", "-D", "OUTPUT", "-o", "lo", "-j", Chain], cancellationToken, check: false).ConfigureAwait(false) == 0)
        {
        }

        await RunAsync(namespacePath, ["-t", "nat", "-F", Chain], cancellationToken, check: false).ConfigureAwait(false);
        await RunAsync(namespacePath, ["-t", "nat", "-X", Chain], cancellationToken, check: false).ConfigureAwait(false);
    }

    private static async Task<int> RunAsync(string namespacePath, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool check = true)
    {
        // Forked from the thread that entered the namespace: the child starts in it. Bounded by -w's lock wait.
        using var process = await NetworkNamespace.RunAsync(namespacePath, () =>
        {
            var start = new ProcessStartInfo("iptables") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add("-w");
            start.ArgumentList.Add("5");
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            return Process.Start(start) ?? throw new InvalidOperationException("iptables did not start");
        }, cancellationToken).ConfigureAwait(false);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"iptables {string.Join(' ', arguments)} in {namespacePath} exited {process.ExitCode}: {(await stderr.ConfigureAwait(false)).Trim()}");
        }

        return process.ExitCode;
    }
}
