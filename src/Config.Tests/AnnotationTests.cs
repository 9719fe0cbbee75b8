using System.IO.Compression;
using System.Text;

namespace Sealpod.Config.Tests;

/// <summary>Pod annotations: Kata's allow-list, path lists, value parsing, kernel-parameter merging.</summary>
public sealed class AnnotationTests
{
    private const string H = KataAnnotations.HypervisorPrefix;

    private static readonly SealpodConfiguration Base = Load.Text("""
        [hypervisor.qemu]
        initrd = "/usr/share/sealpod/sealpod-initrd.img"
        shared_fs = "none"
        kernel_params = "console=hvc0 agent.log=info"
        default_maxvcpus = 4
        enable_annotations = ["kernel_params", "default_vcpus", "default_memory", "cc_init_data", "enable_iommu", "path", "kernel", "initrd", "firmware", "virtio_fs_extra_args", "machine_type"]
        valid_hypervisor_paths = ["/usr/bin/qemu-system-*"]
        valid_kernel_paths = ["/usr/share/sealpod/*"]
        valid_initrd_paths = []

        """);

    private static SealpodConfiguration Apply(params (string Key, string Value)[] annotations) =>
        Base.WithAnnotations(annotations.ToDictionary(a => a.Key, a => a.Value));

    private static string[] Rejected(params (string Key, string Value)[] annotations) =>
        [.. Assert.Throws<ConfigurationException>(() => Apply(annotations)).Errors.Select(e => e.ToString())];

    [Fact]
    public void Allowed_overrides_produce_a_new_configuration_and_leave_the_original_alone()
    {
        var result = Apply((H + "default_vcpus", "2"), (H + "default_memory", "4096"), (H + "enable_iommu", "true"));

        Assert.Equal(2f, result.Hypervisor.DefaultVcpus);
        Assert.Equal(4096, result.Hypervisor.DefaultMemoryMiB);
        Assert.True(result.Hypervisor.EnableIommu);
        Assert.Equal(1f, Base.Hypervisor.DefaultVcpus);
        Assert.Equal(2048, Base.Hypervisor.DefaultMemoryMiB);
        Assert.False(Base.Hypervisor.EnableIommu);
        Assert.IsType<QemuConfig>(result.Hypervisor);
    }

    [Fact]
    public void Hypervisor_annotation_not_in_enable_annotations_is_rejected_by_name()
    {
        Assert.Equal(
            ["io.katacontainers.config.hypervisor.memory_slots: annotation is not enabled: enable_annotations in [hypervisor.qemu] has no pattern matching \"memory_slots\""],
            Rejected((H + "memory_slots", "20")));
    }

    [Fact]
    public void Enable_annotations_patterns_match_whole_names()
    {
        // "path" must not enable vhost_user_store_path (Kata's unanchored match would).
        Assert.Equal(
            ["io.katacontainers.config.hypervisor.vhost_user_store_path: annotation is not enabled: enable_annotations in [hypervisor.qemu] has no pattern matching \"vhost_user_store_path\""],
            Rejected((H + "vhost_user_store_path", "/tmp")));

        var regex = Load.Text(Load.MinimalQemu + "enable_annotations = [\"default_.*\"]\n");
        Assert.Equal(3000, regex.WithAnnotations(new Dictionary<string, string> { [H + "default_memory"] = "3000" }).Hypervisor.DefaultMemoryMiB);
    }

    [Fact]
    public void Path_annotations_must_match_the_valid_paths_list()
    {
        Assert.Equal("/usr/bin/qemu-system-x86_64", Apply((H + "path", "/usr/bin/qemu-system-x86_64")).Hypervisor.Path);
        Assert.Equal(
            ["io.katacontainers.config.hypervisor.path: expected a path matching valid_hypervisor_paths [/usr/bin/qemu-system-*], found \"/tmp/evil\""],
            Rejected((H + "path", "/tmp/evil")));
        Assert.Equal(
            ["io.katacontainers.config.hypervisor.path: expected an absolute path without \".\" or \"..\" segments, found \"/usr/bin/qemu-system-x/../../../tmp/evil\""],
            Rejected((H + "path", "/usr/bin/qemu-system-x/../../../tmp/evil")));
    }

    [Fact]
    public void A_class_in_an_allow_list_pattern_never_stands_for_a_separator()
    {
        // As Kata's filepath.Glob: [^_] takes any character of one path element, never a '/' into a subdirectory.
        var config = Load.Text("""
            [hypervisor.qemu]
            initrd = "/usr/share/sealpod/sealpod-initrd.img"
            shared_fs = "none"
            enable_annotations = ["kernel"]
            valid_kernel_paths = ["/usr/share/sealpod/vmlinuz[^_]*"]

            """);
        Assert.Equal("/usr/share/sealpod/vmlinuz.old", config.WithAnnotations(new Dictionary<string, string> { [H + "kernel"] = "/usr/share/sealpod/vmlinuz.old" }).Hypervisor.Kernel);
        var error = Assert.Throws<ConfigurationException>(() => config.WithAnnotations(new Dictionary<string, string> { [H + "kernel"] = "/usr/share/sealpod/vmlinuz/evil" }));
        Assert.Equal(
            ["io.katacontainers.config.hypervisor.kernel: expected a path matching valid_kernel_paths [/usr/share/sealpod/vmlinuz[^_]*], found \"/usr/share/sealpod/vmlinuz/evil\""],
            error.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Asset_annotations_use_Sealpods_lists_and_an_empty_list_rejects()
    {
        Assert.Equal("/usr/share/sealpod/vmlinuz-debug", Apply((H + "kernel", "/usr/share/sealpod/vmlinuz-debug")).Hypervisor.Kernel);
        Assert.Equal(
            ["io.katacontainers.config.hypervisor.kernel: expected a path matching valid_kernel_paths [/usr/share/sealpod/*], found \"/usr/share/sealpod/sub/vmlinuz\""],
            Rejected((H + "kernel", "/usr/share/sealpod/sub/vmlinuz")));
        Assert.Equal(
            ["io.katacontainers.config.hypervisor.initrd: path annotations are rejected because valid_initrd_paths is empty in [hypervisor.qemu]"],
            Rejected((H + "initrd", "/usr/share/sealpod/other.img")));
        Assert.Equal(
            ["io.katacontainers.config.hypervisor.firmware: path annotations are rejected because valid_firmware_paths is empty in [hypervisor.qemu]"],
            Rejected((H + "firmware", "/usr/share/ovmf/OVMF.fd")));
    }

    [Fact]
    public void Value_type_errors_name_the_annotation()
    {
        Assert.Equal(
        [
            "io.katacontainers.config.hypervisor.default_memory: expected an integer number of MiB >= 256, found \"2G\"",
            "io.katacontainers.config.hypervisor.default_vcpus: expected a number of vCPUs between 0 (exclusive) and 1024, found \"two\"",
            "io.katacontainers.config.hypervisor.enable_iommu: expected true or false, found \"yes\"",
            "io.katacontainers.config.hypervisor.virtio_fs_extra_args: expected a JSON array of strings, found \"--foo\"",
        ],
            Rejected((H + "default_memory", "2G"), (H + "default_vcpus", "two"), (H + "enable_iommu", "yes"), (H + "virtio_fs_extra_args", "--foo")));
    }

    [Fact]
    public void Go_style_booleans_and_json_arrays_are_accepted()
    {
        var result = Apply((H + "enable_iommu", "T"), (H + "virtio_fs_extra_args", "[\"-o\", \"cache=none\"]"));

        Assert.True(result.Hypervisor.EnableIommu);
        Assert.Equal(["-o", "cache=none"], result.Hypervisor.VirtioFsExtraArgs);
    }

    [Fact]
    public void Kernel_params_annotation_replaces_same_key_parameters_and_appends_new_ones()
    {
        var result = Apply((H + "kernel_params", "agent.log=debug agent.aa_kbc_params=cc_kbc::http://192.0.2.1:8080"));

        Assert.Equal("console=hvc0 agent.log=debug agent.aa_kbc_params=cc_kbc::http://192.0.2.1:8080", result.Hypervisor.KernelParams.ToString());
    }

    [Fact]
    public void Cross_field_rules_apply_after_overrides_and_blame_the_annotation()
    {
        Assert.Equal(
            ["io.katacontainers.config.hypervisor.default_vcpus: expected at most default_maxvcpus (4) vCPUs, found 8"],
            Rejected((H + "default_vcpus", "8")));
    }

    [Fact]
    public void Init_data_must_be_base64_gzip()
    {
        var initData = "version = \"0.1.0\"\nalgorithm = \"sha384\"\n[data]\n\"aa.toml\" = \"\"\n";
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(initData));
        }

        var encoded = Convert.ToBase64String(buffer.ToArray());
        Assert.Equal(encoded, Apply((H + "cc_init_data", encoded)).Hypervisor.CcInitData);
        Assert.Null(Base.Hypervisor.CcInitData);

        Assert.Equal(
            ["io.katacontainers.config.hypervisor.cc_init_data: expected base64 of gzip-compressed Init-Data TOML, found base64 that is not gzip data"],
            Rejected((H + "cc_init_data", Convert.ToBase64String(Encoding.UTF8.GetBytes(initData)))));
        Assert.Equal(
            ["io.katacontainers.config.hypervisor.cc_init_data: expected base64 of gzip-compressed Init-Data TOML, found a value that is not valid base64"],
            Rejected((H + "cc_init_data", "%%%")));
    }

    [Fact]
    public void Every_bad_annotation_is_reported_together()
    {
        var errors = Rejected((H + "memory_slots", "3"), (H + "default_memory", "1"), (KataAnnotations.RuntimePrefix + "create_container_timeout", "soon"));

        Assert.Equal(3, errors.Length);
    }

    [Fact]
    public void Agent_and_runtime_annotations_other_than_kernel_modules_are_not_gated_by_enable_annotations()
    {
        var modules = Load.Text(Load.MinimalQemu + "enable_annotations = [\"agent\\\\.kernel_modules\"]\n")
            .WithAnnotations(new Dictionary<string, string> { [KataAnnotations.AgentKernelModules] = "e1000e InterruptThrottleRate=3000; i915 enable_ppgtt=0" });
        var result = Apply(
            (KataAnnotations.AgentPrefix + "container_pipe_size", "65536"),
            (KataAnnotations.RuntimePrefix + "experimental_force_guest_pull", "true"),
            (KataAnnotations.RuntimePrefix + "create_container_timeout", "300"),
            (KataAnnotations.RuntimePrefix + "internetworking_model", "none"),
            (KataAnnotations.AgentPolicy, "cGFja2FnZSBhZ2VudF9wb2xpY3k="),
            ("io.kubernetes.cri.container-type", "sandbox"));

        Assert.Equal(["e1000e InterruptThrottleRate=3000", "i915 enable_ppgtt=0"], modules.Agent.KernelModules);
        Assert.Equal(65536, result.Agent.ContainerPipeSize);
        Assert.True(result.Runtime.ExperimentalForceGuestPull);
        Assert.Equal(TimeSpan.FromSeconds(300), result.Runtime.CreateContainerTimeout);
        Assert.Equal(InternetworkingModel.None, result.Runtime.InternetworkingModel);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Unknown_agent_or_runtime_annotation_is_a_warning_not_an_error()
    {
        var result = Apply((KataAnnotations.RuntimePrefix + "no_such_thing", "1"));

        Assert.Equal("io.katacontainers.config.runtime.no_such_thing: unknown annotation, ignored", Assert.Single(result.Warnings).ToString());
    }

    [Fact]
    public void Enabled_but_unsupported_hypervisor_annotation_is_rejected()
    {
        var everything = Load.Text(Load.MinimalQemu + "enable_annotations = [\".*\"]\n");

        var e = Assert.Throws<ConfigurationException>(() => everything.WithAnnotations(new Dictionary<string, string> { [H + "jailer_path"] = "/usr/bin/jailer" }));

        Assert.Equal("io.katacontainers.config.hypervisor.jailer_path: annotation is not supported by Sealpod", Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void Qemu_only_annotation_on_cloud_hypervisor_is_rejected()
    {
        var clh = Load.Text("[hypervisor.clh]\nimage = \"/i.img\"\nshared_fs = \"none\"\nenable_annotations = [\"machine_type\"]\n");

        var e = Assert.Throws<ConfigurationException>(() => clh.WithAnnotations(new Dictionary<string, string> { [H + "machine_type"] = "q35" }));

        Assert.Equal("io.katacontainers.config.hypervisor.machine_type: annotation does not apply to [hypervisor.clh]", Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void Ccv0_sev_annotations_switch_pre_attestation()
    {
        var sev = Load.Text(Load.MinimalQemu + "confidential_guest = true\nguest_pre_attestation = true\n" + Load.TeeFirmware
            + "enable_annotations = [\"pre_attestation\\\\..*\", \"sev\\\\.policy\"]\n");

        var result = sev.WithAnnotations(new Dictionary<string, string>
        {
            [KataAnnotations.PreAttestationEnabled] = "false",
            [KataAnnotations.SevPolicy] = "7",
        });

        var q = Assert.IsType<QemuConfig>(result.Hypervisor);
        Assert.False(q.GuestPreAttestation);
        Assert.Equal(7u, q.SevGuestPolicy);
    }

    [Fact]
    public void Empty_enable_annotations_rejects_every_hypervisor_annotation()
    {
        var locked = Load.Text(Load.MinimalQemu);

        Assert.Throws<ConfigurationException>(() => locked.WithAnnotations(new Dictionary<string, string> { [H + "kernel_params"] = "quiet" }));
    }
}
