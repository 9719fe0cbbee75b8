namespace Sealpod.Contract.Guest;

/// <summary>
/// The names of Kata's image_guest_pull: the snapshotter writes them into a rootfs mount option, the runtime turns
/// that into a storage, and the agent pulls the image in the guest from it (kata-types KataVirtualVolume,
/// virtcontainers/kata_agent.go handleImageGuestPullBlockVolume, the agent's image_pull_handler).
/// </summary>
public static class GuestPullNames
{
    /// <summary>The storage driver, the KataVirtualVolume <c>volume_type</c> and the key of the driver option.</summary>
    public const string Driver = "image_guest_pull";

    /// <summary>The driver option carrying <c>{"metadata": {...}}</c>: <c>image_guest_pull=JSON</c>.</summary>
    public const string DriverOptionPrefix = Driver + "=";

    /// <summary>The storage source naming the sandbox (pause) container, whose rootfs is the guest image's own.</summary>
    public const string PauseImage = "pause";

    /// <summary>The rootfs mount option nydus-snapshotter's guest-pull mode sets: <c>io.katacontainers.volume=BASE64</c>.</summary>
    public const string VolumeOption = "io.katacontainers.volume";
}
