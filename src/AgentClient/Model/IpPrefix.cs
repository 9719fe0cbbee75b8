namespace Sealpod.AgentClient.Model;

/// <summary>An IPv4 or IPv6 address with its prefix length (10.88.0.5/16, fd00::5/64).</summary>
public sealed record IpPrefix(IPAddress Address, int PrefixLength)
{
    public override string ToString() => $"{Address}/{PrefixLength}";
}
