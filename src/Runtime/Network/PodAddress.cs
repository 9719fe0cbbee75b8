namespace Sealpod.Runtime.Network;

/// <summary>An IPv4 or IPv6 address with its prefix length ("10.88.0.7/16").</summary>
public sealed record PodAddress(IPAddress Address, int PrefixLength)
{
    public override string ToString() => $"{Address}/{PrefixLength}";
}
