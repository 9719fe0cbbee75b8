using Sealpod.Protos.Containerd.Task.V2;
using Sealpod.Protos.RuntimeOptions.V1;
using Sealpod.Runtime.Errors;

namespace Sealpod.Shim.Tests;

public sealed class TaskTranslatorTests
{
    [Fact]
    public void Ctr_and_cri_runtime_options_name_the_configuration()
    {
        var options = AnyExtensions.PackBare(new Options { ConfigPath = "/etc/sealpod/snp.toml" });
        var legacy = new Any { TypeUrl = "cri.runtimeoptions.v1.Options", Value = new Options { ConfigPath = "/old.toml" }.ToByteString() };
        var prefixed = new Any { TypeUrl = "type.googleapis.com/runtimeoptions.v1.Options", Value = new Options { ConfigPath = "/p.toml" }.ToByteString() };
        var body = AnyExtensions.PackBare(new Options { ConfigBody = ByteString.CopyFromUtf8("[hypervisor.qemu]\n") });

        Assert.Equal(("/etc/sealpod/snp.toml", null), TaskTranslator.ConfigFromOptions(options));
        Assert.Equal(("/old.toml", null), TaskTranslator.ConfigFromOptions(legacy));
        Assert.Equal(("/p.toml", null), TaskTranslator.ConfigFromOptions(prefixed));
        Assert.Equal((null, "[hypervisor.qemu]\n"), TaskTranslator.ConfigFromOptions(body));
    }

    [Fact]
    public void Runc_options_and_no_options_leave_the_search_order_in_charge()
    {
        Assert.Equal((null, null), TaskTranslator.ConfigFromOptions(AnyExtensions.PackBare(new Sealpod.Protos.Containerd.Runc.V1.Options { BinaryName = "runc" })));
        Assert.Equal((null, null), TaskTranslator.ConfigFromOptions(null));
        Assert.Equal((null, null), TaskTranslator.ConfigFromOptions(new Any()));
    }

    [Fact]
    public void Options_that_do_not_parse_are_an_invalid_argument()
    {
        var broken = new Any { TypeUrl = "runtimeoptions.v1.Options", Value = ByteString.CopyFrom(0xFF, 0xFF) };

        var error = Assert.Throws<InvalidArgumentException>(() => TaskTranslator.ConfigFromOptions(broken));
        Assert.Contains("runtimeoptions.v1.Options", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_create_request_becomes_the_domain_request()
    {
        var request = new CreateTaskRequest
        {
            Id = "c1",
            Bundle = "/b",
            Terminal = true,
            Stdin = "/f/in",
            Stdout = "/f/out",
            Options = AnyExtensions.PackBare(new Options { ConfigPath = "/x.toml" }),
            Rootfs = { new Protos.Containerd.Types.Mount { Type = "overlay", Source = "overlay", Options = { "lowerdir=/l", "upperdir=/u", "workdir=/w" } } },
        };

        var domain = TaskTranslator.ToDomain(request);

        Assert.Equal(("c1", "/b", "/x.toml"), (domain.Id, domain.Bundle, domain.ConfigPath));
        Assert.Equal(("/f/in", "/f/out", "", true), (domain.Io.Stdin, domain.Io.Stdout, domain.Io.Stderr, domain.Io.Terminal));
        Assert.Equal("/u", Assert.Single(domain.Rootfs).GetOption("upperdir"));
    }
}
