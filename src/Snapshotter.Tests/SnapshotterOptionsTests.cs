using Sealpod.Snapshotter.Hosting;

namespace Sealpod.Snapshotter.Tests;

public sealed class SnapshotterOptionsTests
{
    [Fact]
    public void Defaults_and_flags()
    {
        Assert.Equal(new SnapshotterOptions(SnapshotterOptions.DefaultRoot, SnapshotterOptions.DefaultAddress), SnapshotterOptions.Parse([]));
        Assert.Equal(new SnapshotterOptions("/r", "/s.sock"), SnapshotterOptions.Parse(["--address", "/s.sock", "--root", "/r"]));
    }

    [Theory]
    [InlineData(new[] { "--frob" }, "unknown argument \"--frob\"")]
    [InlineData(new[] { "--root" }, "--root expects an absolute path")]
    [InlineData(new[] { "--address", "relative.sock" }, "--address expects an absolute path")]
    public void Bad_arguments_name_the_flag(string[] args, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => SnapshotterOptions.Parse(args)).Message, StringComparison.Ordinal);

    [Fact]
    public void A_socket_path_longer_than_sun_path_is_refused() =>
        Assert.Contains("107 bytes", Assert.Throws<ArgumentException>(() => SnapshotterOptions.Parse(["--address", "/" + new string('s', 120)])).Message, StringComparison.Ordinal);
}
