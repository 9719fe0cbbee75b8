namespace Sealpod.Linux.Netlink;

/// <summary>
/// The kernel refused a netlink request: carries the operation ("add ingress qdisc on eth0"), the errno and the
/// kernel's extended-ack text when it sent one ("Exclusivity flag on, cannot modify").
/// </summary>
public sealed class NetlinkException(string operation, int errno, string? kernelMessage = null)
    : IOException(kernelMessage is null
        ? $"netlink {operation}: {LibC.ErrorText(errno)}"
        : $"netlink {operation}: {LibC.ErrorText(errno)}: {kernelMessage}")
{
    public string Operation { get; } = operation;

    public int Errno { get; } = errno;

    public string? KernelMessage { get; } = kernelMessage;
}
