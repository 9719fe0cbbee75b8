using Sealpod.Protos.Containerd.Runtime.Bootstrap.V1;
using Sealpod.Protos.RuntimeOptions.V1;
using static Sealpod.Protos.Tests.Wire.HandWire;

namespace Sealpod.Protos.Tests.Contracts;

/// <summary>The containerd 2.3 start-up messages and the ambiguities a shim must resolve.</summary>
public sealed class BootstrapTests
{
    [Fact]
    public void Params_golden_bytes_including_a_negative_log_level()
    {
        var parameters = new BootstrapParams
        {
            InstanceId = "pod-a",
            Namespace = "k8s.io",
            LogLevel = LogLevel.Debug,
            ContainerdTtrpcAddress = "/run/containerd/containerd.sock.ttrpc",
            Extensions = { new Containerd.Runtime.Bootstrap.V1.Extension { Value = AnyExtensions.PackBare(new Options { ConfigPath = "/c.toml" }) } },
            SocketDir = "/run/sealpod/s",
        };
        byte[] golden = Concat(
            Str(1, "pod-a"),
            Str(2, "k8s.io"),
            Varint(3, -4),
            Str(5, "/run/containerd/containerd.sock.ttrpc"),
            Message(8, Message(1, Str(1, "runtimeoptions.v1.Options"), Bytes(2, Str(2, "/c.toml")))),
            Str(9, "/run/sealpod/s"));

        Assert.Equal(Convert.ToHexString(golden), Convert.ToHexString(parameters.ToByteArray()));
        Assert.Equal(parameters, BootstrapParams.Parser.ParseFrom(golden));
    }

    [Fact]
    public void Socket_dir_tracks_presence()
    {
        Assert.False(BootstrapParams.Parser.ParseFrom(Str(1, "x")).HasSocketDir);
        BootstrapParams empty = BootstrapParams.Parser.ParseFrom(Concat(Str(1, "x"), Str(9, string.Empty)));
        Assert.True(empty.HasSocketDir);
        Assert.Equal(string.Empty, empty.SocketDir);
    }

    [Fact]
    public void Unknown_log_levels_survive_because_the_enum_is_open()
    {
        BootstrapParams parsed = BootstrapParams.Parser.ParseFrom(Varint(3, -6));

        Assert.Equal(-6, (int)parsed.LogLevel);
    }

    [Fact]
    public void A_runtime_options_Any_also_parses_as_BootstrapParams()
    {
        // Why a shim must compare instance_id and namespace with its flags before believing stdin.
        byte[] legacyStdin = AnyExtensions.PackBare(new Options { ConfigPath = "/c.toml" }).ToByteArray();

        BootstrapParams misread = BootstrapParams.Parser.ParseFrom(legacyStdin);

        Assert.Equal("runtimeoptions.v1.Options", misread.InstanceId);
    }

    [Fact]
    public void A_plain_unix_address_never_parses_as_BootstrapResult()
    {
        byte[] printed = Encoding.ASCII.GetBytes("unix:///run/containerd/s/0123456789abcdef");

        Assert.Throws<InvalidProtocolBufferException>(() => BootstrapResult.Parser.ParseFrom(printed));
    }
}
