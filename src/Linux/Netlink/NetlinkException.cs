using Sealpod.Linux.Native;

namespace Sealpod.Linux.Netlink;

/// <summary>
/// The kernel refused a netlink request: carries the operation ("add ingress qdisc on eth0"), the errno and the
/// kernel's extended-ack text when it sent one ("Exclusivity flag on, cannot modify").
/// </summary>
public sealed class NetlinkException : IOException
{
    public NetlinkException(string operation, int errno, string? kernelMessage = null)
        : base(kernelMessage is null
            ? $"netlink {operation}: {LibC.ErrorText(errno)}"
            : $"netlink {operation}: {LibC.ErrorText(errno)}: {kernelMessage}")
    {
        Operation = operation;
        Errno = errno;
        KernelMessage = kernelMessage;
    }

    public string Operation { get; }

    public int Errno { get; }

    public string? KernelMessage { get; }
}
