namespace Sealpod.CriHarness;

/// <summary>
/// The plain-HTTP registry of a CRI containerd's network namespace that pods (and a VM's guest) pull from: they reach
/// it at the CNI bridge (<see cref="Bridge"/>), containerd and skopeo on the namespace's loopback (<see cref="Loopback"/>,
/// containerd through a CRI mirror). One registry listening on <see cref="Listen"/> answers both.
/// </summary>
public static class PodRegistry
{
    public const string Loopback = "127.0.0.1:5000";

    public const string Listen = "0.0.0.0:5000";

    public static readonly string Bridge = CniNetworkConfig.Gateway + ":5000";

    /// <summary>A reference pushed over loopback (<c>127.0.0.1:5000/REPO:TAG</c>) as pods name it.</summary>
    public static string AsPodsNameIt(string loopbackReference)
    {
        ArgumentNullException.ThrowIfNull(loopbackReference);
        if (!loopbackReference.StartsWith(Loopback + "/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{loopbackReference}' is not a reference on {Loopback}", nameof(loopbackReference));
        }

        return Bridge + loopbackReference[Loopback.Length..];
    }
}
