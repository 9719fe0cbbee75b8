using CliWrap;
using CliWrap.Buffered;

namespace Sealpod.Shim.Tests;

/// <summary>The shim socket address must be byte-identical to containerd's, or containerd cannot find a pod's shim.</summary>
public sealed class ShimSocketAddressTests
{
    // Printed by Golden/socket_address.go against containerd 1.6.20's runtime/v2/shim.SocketAddress.
    public static TheoryData<string, string, string, string> Golden => new()
    {
        { "/run/containerd/containerd.sock", "default", "demo", "unix:///run/containerd/s/12117510a54ae87cb9f59e68c4b6897783ff70cec968b5b5967a0a0cd503057e" },
        { "/run/containerd/containerd.sock", "k8s.io", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "unix:///run/containerd/s/428e2faf0a8621e508bdf59b20b756691d7b9e23d6f777125dc830568aeab725" },
        { "/work/main/build/containerd/containerd.sock", "sealpod", "demo", "unix:///run/containerd/s/c2182139e8ec9d95873d564ac3791d119238bb062c1d88930f9490d57f394cda" },
        { "/run//containerd/./containerd.sock/", "ns", "a.b-c_d", "unix:///run/containerd/s/57134c07a083c56b969df142e8e8b08d2f6c355c0c5a280d343def85f6ddaea4" },
    };

    [Theory]
    [MemberData(nameof(Golden))]
    public void Matches_containerd_golden_values(string address, string ns, string id, string expected) =>
        Assert.Equal(expected, ShimSocketAddress.Compute(address, ns, id));

    [Fact]
    public async Task Matches_containerd_computed_live_by_its_own_go_code()
    {
        string source = Path.Combine(AppContext.BaseDirectory, "Golden", "socket_address.go");
        var go = await Cli.Wrap("go")
            .WithArguments(["run", source])
            .WithEnvironmentVariables(GoToolchain.GoPathEnvironment())
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        Assert.True(go.IsSuccess, go.StandardError);
        string output = go.StandardOutput;

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        foreach (var line in lines)
        {
            var f = line.Split('|');
            Assert.Equal(f[3], ShimSocketAddress.Compute(f[0], f[1], f[2]));
        }
    }

    [Fact]
    public void A_socket_directory_from_containerd_2_3_replaces_the_default()
    {
        string address = ShimSocketAddress.Compute("/run/containerd/containerd.sock", "default", "demo", "/var/run/shims/");

        Assert.Equal("unix:///var/run/shims/12117510a54ae87cb9f59e68c4b6897783ff70cec968b5b5967a0a0cd503057e", address);
        Assert.Equal("/var/run/shims/12117510a54ae87cb9f59e68c4b6897783ff70cec968b5b5967a0a0cd503057e", ShimSocketAddress.ToPath(address));
    }

    [Fact]
    public void A_socket_path_that_cannot_fit_is_refused() =>
        Assert.Throws<ArgumentException>(() => ShimSocketAddress.Compute("/a", "n", "i", "/" + new string('d', 60)));

    [Theory]
    [InlineData("", ".")]
    [InlineData("/", "/")]
    [InlineData("//a//b/", "/a/b")]
    [InlineData("/a/./b/../c", "/a/c")]
    [InlineData("/../a", "/a")]
    [InlineData("a/../../b", "../b")]
    public void Clean_matches_go(string path, string expected) => Assert.Equal(expected, GoPath.Clean(path));
}
