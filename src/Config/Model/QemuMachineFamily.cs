namespace Sealpod.Config;

/// <summary>The QEMU machine families Sealpod's QEMU driver can launch.</summary>
public enum QemuMachineFamily
{
    /// <summary>x86 <c>q35</c> (or a versioned <c>pc-q35-X.Y</c>): the only family SEV, SEV-SNP and TDX run on.</summary>
    Q35,

    /// <summary>Arm <c>virt</c>.</summary>
    Virt,

    /// <summary>IBM Z <c>s390-ccw-virtio</c>: with <c>confidential_guest</c>, IBM Secure Execution.</summary>
    S390CcwVirtio,
}
