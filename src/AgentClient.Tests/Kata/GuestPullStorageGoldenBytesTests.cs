namespace Sealpod.AgentClient.Tests.Kata;

/// <summary>
/// The image_guest_pull storage on the wire, encoded by hand from Kata's agent.proto Storage field numbers (driver 1,
/// driver_options 2, source 3, fstype 4, options 5, mount_point 6, shared 8): what Kata's runtime sends and
/// Sealpod's Translation/ImageGuestPull produces.
/// </summary>
public sealed class GuestPullStorageGoldenBytesTests
{
    [Fact]
    public void Image_guest_pull_storage_carries_driver_option_source_fstype_and_mount_point()
    {
        const string option = "image_guest_pull={\"metadata\":{\"a\":\"b\"}}";
        var wire = StorageTranslation.ToWire(new Storage
        {
            Driver = "image_guest_pull",
            DriverOptions = [option],
            Source = "r:5000/app:1",
            FsType = "overlay",
            MountPoint = "/run/kata-containers/c1/rootfs",
        });

        static string Field(int tag, string text) =>
            Convert.ToHexStringLower([(byte)(tag << 3 | 2), (byte)Encoding.UTF8.GetByteCount(text)]) + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(text));

        Assert.Equal(
            Field(1, "image_guest_pull") + Field(2, option) + Field(3, "r:5000/app:1") + Field(4, "overlay") + Field(6, "/run/kata-containers/c1/rootfs"),
            Convert.ToHexStringLower(wire.ToByteArray()));
        Assert.Equal("0a10", Convert.ToHexStringLower(wire.ToByteArray())[..4]);
    }
}
