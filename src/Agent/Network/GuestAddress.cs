namespace Sealpod.Agent.Network;

/// <summary>An IPv4 or IPv6 address with its prefix length.</summary>
internal sealed record GuestAddress(IPAddress Address, int PrefixLength)
{
    public override string ToString() => $"{Address}/{PrefixLength}";
}
