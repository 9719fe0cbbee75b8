namespace Sealpod.HostCheck.Probing;

/// <summary>
/// What opening /dev/kvm and creating a VM showed. <see cref="ApiVersion"/> is -1 when the ioctl was not reached or failed;
/// <see cref="Error"/> names the step that failed and the errno text.
/// </summary>
public sealed record KvmProbeResult(bool Opened, int ApiVersion, bool VmCreated, string? Error)
{
    /// <summary>KVM_GET_API_VERSION has returned 12 since Linux 2.6.22; anything else is not a usable KVM.</summary>
    public const int ExpectedApiVersion = 12;

    public bool Usable => Opened && ApiVersion == ExpectedApiVersion && VmCreated;
}
