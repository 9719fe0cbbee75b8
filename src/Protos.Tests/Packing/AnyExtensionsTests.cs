using ProtoAny = Google.Protobuf.WellKnownTypes.Any;
using Sealpod.Protos.RuntimeOptions.V1;

namespace Sealpod.Protos.Tests.Packing;

public sealed class AnyExtensionsTests
{
    [Fact]
    public void PackBare_uses_the_bare_full_name()
    {
        var exit = new TaskExit { ContainerId = "c", Pid = 3 };

        var any = AnyExtensions.PackBare(exit);

        Assert.Equal("containerd.events.TaskExit", any.TypeUrl);
        Assert.Equal(exit.ToByteString(), any.Value);
    }

    [Fact]
    public void Googles_own_Any_does_not_understand_bare_names()
    {
        // Why the helpers exist: protobuf's Any needs a '/' in the URL.
        var any = AnyExtensions.PackBare(new TaskOOM { ContainerId = "c" });

        Assert.False(any.Is(TaskOOM.Descriptor));
        Assert.True(any.Holds(TaskOOM.Descriptor));
    }

    [Theory]
    [InlineData("containerd.events.TaskOOM")]
    [InlineData("type.googleapis.com/containerd.events.TaskOOM")]
    public void UnpackBare_accepts_bare_and_prefixed_urls(string typeUrl)
    {
        var any = new ProtoAny { TypeUrl = typeUrl, Value = new TaskOOM { ContainerId = "c9" }.ToByteString() };

        Assert.Equal("c9", any.UnpackBare<TaskOOM>().ContainerId);
    }

    [Fact]
    public void UnpackBare_of_another_type_names_both_types()
    {
        var any = AnyExtensions.PackBare(new TaskOOM { ContainerId = "c" });

        var error = Assert.Throws<InvalidDataException>(() => any.UnpackBare<TaskExit>());

        Assert.Contains("containerd.events.TaskOOM", error.Message, StringComparison.Ordinal);
        Assert.Contains("containerd.events.TaskExit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryUnpackBare_reports_a_different_type_without_throwing()
    {
        var any = AnyExtensions.PackBare(new Options { ConfigPath = "/x" });

        Assert.False(any.TryUnpackBare(out TaskExit _));
        Assert.True(any.TryUnpackBare(out Options options));
        Assert.Equal("/x", options.ConfigPath);
    }

    [Fact]
    public void UnpackBare_of_a_corrupt_value_throws_a_protobuf_error()
    {
        var any = new ProtoAny { TypeUrl = "runtimeoptions.v1.Options", Value = ByteString.CopyFrom(0x12, 0x05, 0x61) };

        Assert.Throws<InvalidProtocolBufferException>(() => any.UnpackBare<Options>());
    }

    [Fact]
    public void Legacy_cri_runtime_options_name_is_a_different_type_url()
    {
        // Kata accepts both; the caller must decide, the helper does not guess.
        var any = new ProtoAny { TypeUrl = TypeUrls.LegacyCriRuntimeOptions, Value = new Options { ConfigPath = "/y" }.ToByteString() };

        Assert.False(any.Holds(Options.Descriptor));
        Assert.Equal("/y", Options.Parser.ParseFrom(any.Value).ConfigPath);
    }

    [Fact]
    public void Json_payloads_round_trip_under_OCI_type_urls()
    {
        const string json = """{"args":["true"],"cwd":"/"}""";

        var any = AnyExtensions.PackJson(TypeUrls.OciProcess, json);

        Assert.Equal("types.containerd.io/opencontainers/runtime-spec/1/Process", any.TypeUrl);
        Assert.Equal(json, Encoding.UTF8.GetString(any.JsonPayload(TypeUrls.OciProcess).Span));
        Assert.Throws<InvalidDataException>(() => any.JsonPayload(TypeUrls.OciLinuxResources));
    }

    [Theory]
    [InlineData("containerd.events.TaskExit", "containerd.events.TaskExit")]
    [InlineData("type.googleapis.com/containerd.events.TaskExit", "containerd.events.TaskExit")]
    [InlineData("types.containerd.io/opencontainers/runtime-spec/1/Spec", "Spec")]
    [InlineData("", "")]
    public void MessageName_takes_what_follows_the_last_slash(string typeUrl, string expected) =>
        Assert.Equal(expected, TypeUrls.MessageName(typeUrl));

    [Fact]
    public void Well_known_constants_match_the_generated_descriptors()
    {
        Assert.Equal(TypeUrls.RuntimeOptions, Options.Descriptor.BareTypeUrl());
        Assert.Equal(TypeUrls.RuncOptions, Containerd.Runc.V1.Options.Descriptor.BareTypeUrl());
        Assert.Equal(TypeUrls.CgroupsV1Metrics, Cgroups.V1.Metrics.Descriptor.BareTypeUrl());
        Assert.Equal(TypeUrls.CgroupsV2Metrics, Cgroups.V2.Metrics.Descriptor.BareTypeUrl());
    }
}
