namespace Sealpod.Config.Tests;

/// <summary>Rules across keys and sections: each failing case is named at the key that breaks it.</summary>
public sealed class CrossFieldRuleTests
{
    private static readonly string IdBlock = Convert.ToBase64String(new byte[96]);
    private static readonly string IdAuth = Convert.ToBase64String(new byte[4096]);

    [Fact]
    public void Vcpus_above_maxvcpus_is_an_error_at_default_vcpus()
    {
        Assert.Equal(
            ["configuration.toml:4:17: hypervisor.qemu.default_vcpus: expected at most default_maxvcpus (2) vCPUs, found 4"],
            Load.Errors(Load.MinimalQemu + "default_vcpus = 4\ndefault_maxvcpus = 2\n"));
    }

    [Fact]
    public void Fractional_vcpus_round_up_against_maxvcpus()
    {
        Assert.Single(Load.Errors(Load.MinimalQemu + "default_vcpus = 2.5\ndefault_maxvcpus = 2\n"));
        Assert.Equal(2.5f, Load.Text(Load.MinimalQemu + "default_vcpus = 2.5\ndefault_maxvcpus = 3\n").Hypervisor.DefaultVcpus);
    }

    [Fact]
    public void Zero_vcpus_means_one_and_zero_maxvcpus_means_host_CPUs_as_in_Kata()
    {
        var h = Load.Text(Load.MinimalQemu + "default_vcpus = 0\ndefault_maxvcpus = 0\n").Hypervisor;

        Assert.Equal(1f, h.DefaultVcpus);
        Assert.Equal(0, h.DefaultMaxVcpus);
    }

    [Fact]
    public void Memory_above_maxmemory_is_an_error()
    {
        Assert.Equal(
            ["configuration.toml:4:18: hypervisor.qemu.default_memory: expected at most default_maxmemory (1024 MiB), found 2048 MiB"],
            Load.Errors(Load.MinimalQemu + "default_memory = 2048\ndefault_maxmemory = 1024\n"));
    }

    [Fact]
    public void Sev_snp_guest_requires_confidential_guest()
    {
        Assert.Equal(
            ["configuration.toml:4:17: hypervisor.qemu.sev_snp_guest: requires confidential_guest = true"],
            Load.Errors(Load.MinimalQemu + "sev_snp_guest = true\n"));
    }

    [Fact]
    public void Snp_id_block_and_id_auth_only_together()
    {
        var snp = Load.MinimalQemu + "confidential_guest = true\nsev_snp_guest = true\n";

        Assert.Equal(
            ["configuration.toml:6:16: hypervisor.qemu.snp_id_block: requires snp_id_auth to be set too"],
            Load.Errors(snp + $"snp_id_block = \"{IdBlock}\"\n" + Load.TeeFirmware));
        Assert.Equal(
            ["configuration.toml:6:15: hypervisor.qemu.snp_id_auth: requires snp_id_block to be set too"],
            Load.Errors(snp + $"snp_id_auth = \"{IdAuth}\"\n" + Load.TeeFirmware));

        var both = Assert.IsType<QemuConfig>(Load.Text(snp + $"snp_id_block = \"{IdBlock}\"\nsnp_id_auth = \"{IdAuth}\"\n" + Load.TeeFirmware).Hypervisor);
        Assert.Equal(IdBlock, both.SnpIdBlock);
        Assert.Equal(IdAuth, both.SnpIdAuth);
    }

    [Fact]
    public void Snp_id_block_and_id_auth_must_be_base64_of_the_exact_sizes()
    {
        var snp = Load.MinimalQemu + "confidential_guest = true\nsev_snp_guest = true\n";
        var shortBlock = Convert.ToBase64String(new byte[95]);

        Assert.Equal(
        [
            "configuration.toml:6:16: hypervisor.qemu.snp_id_block: expected base64 of exactly 96 bytes, found 95 bytes",
            "configuration.toml:7:15: hypervisor.qemu.snp_id_auth: expected base64 of exactly 4096 bytes, found string that is not valid base64",
        ],
            Load.Errors(snp + $"snp_id_block = \"{shortBlock}\"\nsnp_id_auth = \"not*base64\"\n" + Load.TeeFirmware));
    }

    [Fact]
    public void Snp_policy_must_keep_reserved_bit_17()
    {
        Assert.Equal(
            ["configuration.toml:4:20: hypervisor.qemu.snp_guest_policy: bit 17 is reserved and must be set (QEMU's default is 0x30000 = 196608), found 0x10000"],
            Load.Errors(Load.MinimalQemu + "snp_guest_policy = 65536\n"));
        Assert.Equal(0x30000UL, Load.Text(Load.MinimalQemu + "snp_guest_policy = 0\n").Hypervisor.SnpGuestPolicy);
        Assert.Equal(0x70000UL, Load.Text(Load.MinimalQemu + "snp_guest_policy = 458752\n").Hypervisor.SnpGuestPolicy);
    }

    [Fact]
    public void Image_and_initrd_are_exclusive_and_one_is_required()
    {
        Assert.Equal(
            ["configuration.toml:4:10: hypervisor.qemu.initrd: set together with image; set only one of them"],
            Load.Errors("[hypervisor.qemu]\nshared_fs = \"none\"\nimage = \"/a.img\"\ninitrd = \"/b.img\"\n"));
        Assert.Equal(
            ["configuration.toml:1:1: hypervisor.qemu: either initrd or image must be set"],
            Load.Errors("[hypervisor.qemu]\nshared_fs = \"none\"\n"));
    }

    [Fact]
    public void Secure_execution_boots_the_kernel_alone()
    {
        var se = "[hypervisor.qemu]\nshared_fs = \"none\"\nmachine_type = \"s390-ccw-virtio\"\nconfidential_guest = true\nblock_device_driver = \"virtio-scsi\"\n";

        Assert.Equal(string.Empty, Load.Text(se).Hypervisor.Image);
        Assert.Equal(
            ["configuration.toml:6:10: hypervisor.qemu.initrd: must be empty for IBM Secure Execution (the kernel is the SE boot image)"],
            Load.Errors(se + "initrd = \"/x.img\"\n"));
    }

    [Fact]
    public void Virtio_fs_needs_its_daemon()
    {
        Assert.Equal(
            ["configuration.toml:2:13: hypervisor.qemu.shared_fs: \"virtio-fs\" requires virtio_fs_daemon to be set"],
            Load.Errors("[hypervisor.qemu]\nshared_fs = \"virtio-fs\"\ninitrd = \"/i.img\"\n"));
    }

    [Fact]
    public void Confidential_guests_cannot_use_nvdimm_or_mmio()
    {
        Assert.Equal(
            ["configuration.toml:5:23: hypervisor.qemu.block_device_driver: \"nvdimm\" cannot be used with confidential_guest = true"],
            Load.Errors(Load.MinimalQemu + "confidential_guest = true\nblock_device_driver = \"nvdimm\"\n" + Load.TeeFirmware));
    }

    [Fact]
    public void Pre_attestation_rules()
    {
        var errors = Load.Errors(Load.MinimalQemu + """
            confidential_guest = true
            sev_snp_guest = true
            guest_pre_attestation = true
            guest_pre_attestation_kbs_uri = "localhost"

            """ + Load.TeeFirmware);

        Assert.Equal(
        [
            "configuration.toml:6:25: hypervisor.qemu.guest_pre_attestation: is SEV/SEV-ES pre-attestation and cannot be combined with sev_snp_guest = true",
            "configuration.toml:7:33: hypervisor.qemu.guest_pre_attestation_kbs_uri: expected the key broker's host:port, found \"localhost\"",
        ], errors);
    }

    [Fact]
    public void Sev_pre_attestation_configuration_loads()
    {
        var q = Assert.IsType<QemuConfig>(Load.Text(Load.MinimalQemu + """
            confidential_guest = true
            guest_pre_attestation = true
            guest_pre_attestation_kbs_uri = "192.0.2.7:44444"
            guest_pre_attestation_kbs_mode = "offline"
            guest_pre_attestation_keyset = "KEYSET-2"
            guest_pre_attestation_grpc_timeout = 15
            sev_guest_policy = 1
            sev_cert_chain = "/opt/sev/cert_chain.cert"

            """ + Load.TeeFirmware).Hypervisor);

        Assert.True(q.GuestPreAttestation);
        Assert.Equal(KbsMode.Offline, q.GuestPreAttestationKbsMode);
        Assert.Equal("192.0.2.7:44444", q.GuestPreAttestationKbsUri);
        Assert.Equal("KEYSET-2", q.GuestPreAttestationKeyset);
        Assert.Equal(TimeSpan.FromSeconds(15), q.GuestPreAttestationGrpcTimeout);
        Assert.Equal(1u, q.SevGuestPolicy);
    }

    [Fact]
    public void Disable_new_netns_needs_internetworking_model_none()
    {
        Assert.Equal(
            ["configuration.toml:5:21: runtime.disable_new_netns: only works with internetworking_model = \"none\""],
            Load.Errors(Load.MinimalQemu + "[runtime]\ndisable_new_netns = true\n"));
        Assert.True(Load.Text(Load.MinimalQemu + "[runtime]\ndisable_new_netns = true\ninternetworking_model = \"none\"\n").Runtime.DisableNewNetNs);
    }

    [Fact]
    public void Sandbox_bind_mounts_must_not_share_a_base_name()
    {
        Assert.Equal(
            ["configuration.toml:5:23: runtime.sandbox_bind_mounts: \"/b/data:ro\" has the same base name as \"/a/data\""],
            Load.Errors(Load.MinimalQemu + "[runtime]\nsandbox_bind_mounts = [\"/a/data\", \"/b/data:ro\"]\n"));
    }

    [Fact]
    public void Vfio_hot_and_cold_plug_are_exclusive()
    {
        Assert.Equal(
            ["configuration.toml:5:18: hypervisor.qemu.cold_plug_vfio: only one of hot_plug_vfio and cold_plug_vfio can be set"],
            Load.Errors(Load.MinimalQemu + "hot_plug_vfio = \"root-port\"\ncold_plug_vfio = \"root-port\"\n"));
    }

    [Fact]
    public void Template_factory_needs_an_initrd()
    {
        Assert.Equal(
            ["configuration.toml:5:19: factory.enable_template: VM templating requires an initrd (image is not supported)"],
            Load.Errors("[hypervisor.qemu]\nimage = \"/i.img\"\nshared_fs = \"none\"\n[factory]\nenable_template = true\n"));
    }

    [Fact]
    public void Exactly_one_hypervisor_section()
    {
        Assert.Equal(
            ["configuration.toml:1:1: hypervisor: missing: expected exactly one [hypervisor.qemu] or [hypervisor.clh] section"],
            Load.Errors("[runtime]\nenable_debug = true\n"));

        var two = Load.MinimalQemu + "[hypervisor.clh]\nimage = \"/i.img\"\nshared_fs = \"none\"\n";
        Assert.Equal(
            ["configuration.toml:4:1: hypervisor.clh: only one [hypervisor.*] section is allowed; [hypervisor.qemu] is already defined at configuration.toml:1:1"],
            Load.Errors(two));

        Assert.Equal(
            ["configuration.toml:1:1: hypervisor.firecracker: Sealpod drives QEMU ([hypervisor.qemu]) and Cloud Hypervisor ([hypervisor.clh]) only"],
            Load.Errors("[hypervisor.firecracker]\nimage = \"/i.img\"\n"));

        Assert.Contains(
            "configuration.toml:1:1: hypervisor.qmeu: unknown hypervisor type; expected exactly one [hypervisor.qemu] or [hypervisor.clh] section (did you mean [hypervisor.qemu]?)",
            Load.Errors("[hypervisor.qmeu]\nimage = \"/i.img\"\n"));
    }

    [Fact]
    public void Cloud_hypervisor_snp_needs_igvm()
    {
        var clh = "[hypervisor.clh]\nimage = \"/i.img\"\nshared_fs = \"none\"\nconfidential_guest = true\nsev_snp_guest = true\n";

        Assert.Equal(
            ["configuration.toml:5:17: hypervisor.clh.sev_snp_guest: requires igvm: Cloud Hypervisor boots SEV-SNP guests from an IGVM payload"],
            Load.Errors(clh));

        var config = Load.Text(clh + "igvm = \"/opt/igvm.bin\"\nsnp_guest_policy = 196608\n");
        var c = Assert.IsType<CloudHypervisorConfig>(config.Hypervisor);
        Assert.Equal("/opt/igvm.bin", c.Igvm);
        Assert.Equal(BlockDeviceDriver.VirtioBlk, c.BlockDeviceDriver);
        Assert.Equal("/usr/bin/cloud-hypervisor", c.Path);
        Assert.Null(config.Qemu);
        Assert.Same(c, config.CloudHypervisor);
    }
}
