namespace Sealpod.Linux.Netlink;

/// <summary>A queueing discipline on a link (RTM_GETQDISC): its kind ("ingress", "noqueue" ...), handle and parent.</summary>
public sealed record Qdisc(int LinkIndex, string Kind, uint Handle, uint Parent)
{
    public bool IsIngress => Parent == Rtnl.TC_H_INGRESS;
}
