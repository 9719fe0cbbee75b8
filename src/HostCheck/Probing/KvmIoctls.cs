namespace Sealpod.HostCheck.Probing;

/// <summary>Numbers from include/uapi/linux/kvm.h (KVMIO = 0xAE, both ioctls take no payload).</summary>
internal static class KvmIoctls
{
    public static readonly nuint GetApiVersion = LibC.IoctlNumber(0, (char)0xAE, 0x00, 0);

    public static readonly nuint CreateVm = LibC.IoctlNumber(0, (char)0xAE, 0x01, 0);

    /// <summary>The machine type argument of KVM_CREATE_VM: 0 is the default VM type on every architecture.</summary>
    public const nint DefaultVmType = 0;
}
