using Sealpod.Protos.Containerd.Runtime.Bootstrap.V1;
using Sealpod.Protos.RuntimeOptions.V1;

namespace Sealpod.Shim.Tests;

/// <summary>containerd's compat rule for start's stdin (pkg/shim/compat.go).</summary>
public sealed class StartInputTests
{
    private static readonly Any RuntimeOptions = AnyExtensions.PackBare(new Options { ConfigPath = "/etc/sealpod/x.toml" });

    [Fact]
    public void Nothing_on_stdin_is_no_options() => Assert.Equal(StartInput.Empty, StartInput.Parse([], "demo", "default"));

    [Fact]
    public void Containerd_1_6_sends_the_runtime_options_any()
    {
        var input = StartInput.Parse(RuntimeOptions.ToByteArray(), "demo", "default");

        Assert.Null(input.Bootstrap);
        Assert.Equal("runtimeoptions.v1.Options", input.RuntimeOptions!.TypeUrl);
        Assert.Equal("/etc/sealpod/x.toml", Options.Parser.ParseFrom(input.RuntimeOptions.Value).ConfigPath);
    }

    [Fact]
    public void Containerd_2_3_sends_bootstrap_params_naming_this_shim()
    {
        var bootstrap = new BootstrapParams
        {
            InstanceId = "demo",
            Namespace = "default",
            ContainerdTtrpcAddress = "/run/containerd/containerd.sock.ttrpc",
            SocketDir = "/run/containerd/s2",
            LogLevel = LogLevel.Debug,
            Extensions = { new Protos.Containerd.Runtime.Bootstrap.V1.Extension { Value = RuntimeOptions } },
        };

        var input = StartInput.Parse(bootstrap.ToByteArray(), "demo", "default");

        Assert.Equal("/run/containerd/containerd.sock.ttrpc", input.Bootstrap!.ContainerdTtrpcAddress);
        Assert.Equal("/run/containerd/s2", input.Bootstrap.SocketDir);
        Assert.Equal(RuntimeOptions, input.RuntimeOptions);
    }

    [Fact]
    public void Bootstrap_params_for_another_shim_are_read_as_an_any()
    {
        // The same bytes parse both ways; only the id/namespace check decides.
        var bootstrap = new BootstrapParams { InstanceId = "runtimeoptions.v1.Options", Namespace = "other" };

        var input = StartInput.Parse(bootstrap.ToByteArray(), "demo", "default");

        Assert.Null(input.Bootstrap);
        Assert.Equal("runtimeoptions.v1.Options", input.RuntimeOptions!.TypeUrl);
    }

    [Fact]
    public void Bytes_that_read_both_ways_follow_containerds_rule()
    {
        // An Any whose type URL equals the id and whose value equals the namespace reads as BootstrapParams.
        var any = new Any { TypeUrl = "demo", Value = ByteString.CopyFromUtf8("default") };

        var input = StartInput.Parse(any.ToByteArray(), "demo", "default");

        // Field 2 of an Any is bytes "default": it reads as namespace "default". containerd's rule accepts it,
        // and so must we, or the two would disagree about the same stdin.
        Assert.NotNull(input.Bootstrap);
    }

    [Fact]
    public void Garbage_is_an_error_that_says_what_was_expected()
    {
        var error = Assert.Throws<FormatException>(() => StartInput.Parse([0xFF, 0xFF, 0xFF], "demo", "default"));
        Assert.Contains("neither containerd.runtime.bootstrap.v1.BootstrapParams", error.Message, StringComparison.Ordinal);
    }
}
