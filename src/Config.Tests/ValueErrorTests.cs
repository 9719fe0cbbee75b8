namespace Sealpod.Config.Tests;

/// <summary>Wrong types and out-of-range values: an error naming file:line:column and the full key, with what was expected and found.</summary>
public sealed class ValueErrorTests
{
    [Fact]
    public void Wrong_type_names_file_line_column_full_key_expectation_and_value()
    {
        var errors = Load.Errors(Load.MinimalQemu + "default_memory = \"2G\"\n");

        Assert.Equal(["configuration.toml:4:18: hypervisor.qemu.default_memory: expected an integer number of MiB >= 256, found string \"2G\""], errors);
    }

    [Fact]
    public void Out_of_range_integer_is_an_error()
    {
        var errors = Load.Errors(Load.MinimalQemu + "default_memory = 128\n");

        Assert.Equal(["configuration.toml:4:18: hypervisor.qemu.default_memory: expected an integer number of MiB >= 256, found integer 128"], errors);
    }

    [Theory]
    [InlineData("enable_debug = \"yes\"", "configuration.toml:4:16: hypervisor.qemu.enable_debug: expected true or false, found string \"yes\"")]
    [InlineData("kernel = \"vmlinuz\"", "configuration.toml:4:10: hypervisor.qemu.kernel: expected an absolute path, found string \"vmlinuz\"")]
    [InlineData("valid_hypervisor_paths = [\"/usr/bin/qemu\", \"qemu\"]", "configuration.toml:4:44: hypervisor.qemu.valid_hypervisor_paths[1]: expected an absolute path pattern, found string \"qemu\"")]
    [InlineData("memory_slots = 0", "configuration.toml:4:16: hypervisor.qemu.memory_slots: expected an integer >= 1, found integer 0")]
    [InlineData("default_vcpus = \"1\"", "configuration.toml:4:17: hypervisor.qemu.default_vcpus: expected a number of vCPUs <= 1024 (0 = 1, negative = all host CPUs), found string \"1\"")]
    [InlineData("block_device_driver = \"virtio_blk\"", "configuration.toml:4:23: hypervisor.qemu.block_device_driver: expected \"virtio-scsi\", \"virtio-blk\", \"virtio-mmio\", \"nvdimm\" or \"virtio-blk-ccw\", found string \"virtio_blk\"")]
    [InlineData("guest_pre_attestation_kbs_mode = \"hybrid\"", "configuration.toml:4:34: hypervisor.qemu.guest_pre_attestation_kbs_mode: expected \"online\" or \"offline\", found string \"hybrid\"")]
    [InlineData("machine_type = \"q53\"", "configuration.toml:4:16: hypervisor.qemu.machine_type: expected a QEMU machine type the driver supports (\"q35\", \"pc-q35-X.Y\", \"virt\", \"s390-ccw-virtio\"), found string \"q53\"")]
    [InlineData("valid_hypervisor_paths = [\"/usr/[bin\"]", "configuration.toml:4:27: hypervisor.qemu.valid_hypervisor_paths[0]: expected an absolute path pattern (malformed character class at offset 5), found string \"/usr/[bin\"")]
    [InlineData("kernel_params = \"console=hvc0 dm-mod.create=\\\"a b\"", "configuration.toml:4:17: hypervisor.qemu.kernel_params: expected space-separated kernel parameters, unterminated double quote at offset 27")]
    [InlineData("virtio_fs_extra_args = \"--thread-pool-size=1\"", "configuration.toml:4:24: hypervisor.qemu.virtio_fs_extra_args: expected an array of strings, found string \"--thread-pool-size=1\"")]
    [InlineData("snp_guest_policy = -1", "configuration.toml:4:20: hypervisor.qemu.snp_guest_policy: expected a non-negative integer SNP guest policy, found integer -1")]
    [InlineData("default_maxvcpus = 1.5", "configuration.toml:4:20: hypervisor.qemu.default_maxvcpus: expected an integer number of vCPUs between 0 and 1024 (0 = host CPUs), found float 1.5")]
    public void Each_kind_of_bad_value_has_its_own_message(string line, string expected)
    {
        Assert.Equal([expected], Load.Errors(Load.MinimalQemu + line + "\n"));
    }

    [Fact]
    public void A_bad_choice_is_reported_once_and_rules_that_depend_on_it_stay_quiet()
    {
        // With shared_fs unreadable, "virtio-fs requires virtio_fs_daemon" would judge the default, not the file.
        Assert.Equal(
            ["configuration.toml:3:13: hypervisor.qemu.shared_fs: expected \"virtio-fs\", \"virtio-fs-nydus\", \"virtio-9p\" or \"none\", found string \"virtiofs\""],
            Load.Errors("[hypervisor.qemu]\ninitrd = \"/i.img\"\nshared_fs = \"virtiofs\"\n"));
    }

    [Fact]
    public void Bad_regular_expression_in_enable_annotations_is_reported_with_the_reason()
    {
        var error = Assert.Single(Load.Errors(Load.MinimalQemu + "enable_annotations = [\"kernel_[\"]\n"));

        Assert.StartsWith("configuration.toml:4:23: hypervisor.qemu.enable_annotations[0]: expected a regular expression (", error, StringComparison.Ordinal);
        Assert.EndsWith("), found string \"kernel_[\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Timeouts_are_whole_seconds_in_other_sections_too()
    {
        var errors = Load.Errors(Load.MinimalQemu + "[agent.kata]\ndial_timeout = 0\n[runtime]\ncreate_container_timeout = \"60s\"\n");

        Assert.Equal(
        [
            "configuration.toml:5:16: agent.kata.dial_timeout: expected an integer number of seconds >= 1, found integer 0",
            "configuration.toml:7:28: runtime.create_container_timeout: expected an integer number of seconds >= 1, found string \"60s\"",
        ], errors);
    }

    [Fact]
    public void Every_error_is_reported_at_once_in_file_order()
    {
        var text = """
            [runtime]
            internetworking_model = "bridge"
            [hypervisor.qemu]
            initrd = "relative.img"
            shared_fs = "none"
            default_memory = "lots"
            enable_iommu = 1
            [agent.kata]
            kernel_modules = "e1000e"

            """;

        var e = Load.Failing(text);

        Assert.Equal(
        [
            "configuration.toml:2:25: runtime.internetworking_model: expected \"tcfilter\", \"macvtap\" or \"none\", found string \"bridge\"",
            "configuration.toml:4:10: hypervisor.qemu.initrd: expected an absolute path, found string \"relative.img\"",
            "configuration.toml:6:18: hypervisor.qemu.default_memory: expected an integer number of MiB >= 256, found string \"lots\"",
            "configuration.toml:7:16: hypervisor.qemu.enable_iommu: expected true or false, found integer 1",
            "configuration.toml:9:18: agent.kata.kernel_modules: expected an array of strings, found string \"e1000e\"",
        ], e.Errors.Select(x => x.ToString()));
        Assert.StartsWith("invalid configuration (5 errors):\n  configuration.toml:2:25: runtime.internetworking_model", e.Message, StringComparison.Ordinal);
        Assert.All(e.Errors, x => Assert.Equal(DiagnosticSeverity.Error, x.Severity));
    }

    [Fact]
    public void A_section_that_is_not_a_table_is_an_error()
    {
        Assert.Equal(
            ["configuration.toml:1:11: runtime: expected a table ([runtime]), found integer 5"],
            Load.Errors("runtime = 5\n" + Load.MinimalQemu));
    }

    [Fact]
    public void TOML_syntax_errors_carry_the_parser_position()
    {
        var error = Assert.Single(Load.Failing("[hypervisor.qemu]\ninitrd = \n").Errors);

        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal("configuration.toml", error.Position?.File);
        Assert.Equal(2, error.Position?.Line);
        Assert.StartsWith("configuration.toml:2:", error.ToString(), StringComparison.Ordinal);
    }
}
