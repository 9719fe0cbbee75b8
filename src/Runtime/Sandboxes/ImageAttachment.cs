namespace Sealpod.Runtime.Sandboxes;

/// <summary>One rootfs image disk in the VM and how many of the sandbox's containers use it.</summary>
internal sealed class ImageAttachment(string digest, BlockDeviceAttachment attachment)
{
    public string Digest { get; } = digest;

    public BlockDeviceAttachment Attachment { get; } = attachment;

    public int References { get; set; }

    /// <summary>The disk id for an image digest: stable, unique enough within one VM, and short: QEMU node names built from it are limited to 31 characters.</summary>
    public static string DeviceId(string digest) => "img-" + digest[..16];
}
