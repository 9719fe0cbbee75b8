namespace Sealpod.Config.Tests;

/// <summary>The TEE combinations the configuration itself can judge, each rejected at the key that breaks it.</summary>
public sealed class TeeConfigTests
{
    private const string H = "io.katacontainers.config.hypervisor.";

    [Fact]
    public void Qemu_tee_guest_without_firmware_is_an_error_naming_firmware()
    {
        Assert.Equal(
            ["configuration.toml:1:13: hypervisor.qemu.firmware: must be set with confidential_guest = true: SEV, SEV-SNP and TDX guests boot measured firmware (AMDSEV.fd for SEV-SNP, OVMF for SEV, OVMF.inteltdx.fd for TDX)"],
            Load.Errors(Load.MinimalQemu + "confidential_guest = true\n"));
        Assert.Equal("/usr/share/sealpod/OVMF.fd", Load.Text(Load.MinimalQemu + "confidential_guest = true\n" + Load.TeeFirmware).Hypervisor.Firmware);
    }

    [Fact]
    public void Secure_execution_needs_no_firmware()
    {
        var se = "[hypervisor.qemu]\nkernel = \"/usr/share/sealpod/se.img\"\nshared_fs = \"none\"\nmachine_type = \"s390-ccw-virtio\"\nconfidential_guest = true\nblock_device_driver = \"virtio-scsi\"\n";

        Assert.True(Load.Text(se).Hypervisor.ConfidentialGuest);
    }

    [Fact]
    public void Memory_hotplug_with_a_tee_guest_is_an_error_naming_enable_virtio_mem()
    {
        Assert.Equal(
            ["configuration.toml:5:21: hypervisor.qemu.enable_virtio_mem: memory hot-plug cannot be used with confidential_guest = true (TEE memory is fixed and measured at launch); set it to false"],
            Load.Errors(Load.MinimalQemu + "confidential_guest = true\nenable_virtio_mem = true\n" + Load.TeeFirmware));
    }

    [Fact]
    public void A_tee_guest_is_sized_before_boot_and_an_explicit_false_is_overridden_with_a_warning()
    {
        var implicitDefault = Load.Text(Load.MinimalQemu + "confidential_guest = true\n" + Load.TeeFirmware);
        var explicitFalse = Load.Text(Load.MinimalQemu + "confidential_guest = true\n" + Load.TeeFirmware + "[runtime]\nstatic_sandbox_resource_mgmt = false\n");
        var plain = Load.Text(Load.MinimalQemu + "[runtime]\nstatic_sandbox_resource_mgmt = false\n");

        Assert.True(implicitDefault.Runtime.StaticSandboxResourceMgmt);
        Assert.Empty(implicitDefault.Warnings);
        Assert.True(explicitFalse.Runtime.StaticSandboxResourceMgmt);
        Assert.Equal(
            ["configuration.toml:7:32: runtime.static_sandbox_resource_mgmt: false is ignored with confidential_guest = true: a TEE guest cannot hot-plug CPUs or memory, so it is sized before boot"],
            explicitFalse.Warnings.Select(w => w.ToString()));
        Assert.False(plain.Runtime.StaticSandboxResourceMgmt);
    }

    [Fact]
    public void Cloud_hypervisor_tdx_needs_firmware_and_snp_needs_igvm()
    {
        var clh = "[hypervisor.clh]\nimage = \"/i.img\"\nshared_fs = \"none\"\nconfidential_guest = true\n";

        Assert.Equal(
            ["configuration.toml:1:13: hypervisor.clh.firmware: Cloud Hypervisor boots TDX guests from firmware (td-shim or TDVF): set firmware, or sev_snp_guest = true with igvm for SEV-SNP"],
            Load.Errors(clh));
        Assert.Equal("/usr/share/sealpod/td-shim.bin", Load.Text(clh + "firmware = \"/usr/share/sealpod/td-shim.bin\"\n").Hypervisor.Firmware);
        Assert.Equal(
            ["configuration.toml:5:17: hypervisor.clh.sev_snp_guest: requires igvm: Cloud Hypervisor boots SEV-SNP guests from an IGVM payload"],
            Load.Errors(clh + "sev_snp_guest = true\n"));
        var snp = Assert.IsType<CloudHypervisorConfig>(Load.Text(clh + "sev_snp_guest = true\nigvm = \"/usr/share/sealpod/sealpod.igvm\"\n").Hypervisor);
        Assert.Equal("/usr/share/sealpod/sealpod.igvm", snp.Igvm);
    }

    [Fact]
    public void Pre_attestation_refuses_an_sev_es_policy_because_its_digest_cannot_be_computed()
    {
        Assert.Equal(
            ["configuration.toml:6:20: hypervisor.qemu.sev_guest_policy: 0x7 selects SEV-ES (bit 2), but guest_pre_attestation supports SEV only: Sealpod cannot compute an SEV-ES launch digest; clear bit 2 or set guest_pre_attestation = false"],
            Load.Errors(Load.MinimalQemu + "confidential_guest = true\nguest_pre_attestation = true\nsev_guest_policy = 7\n" + Load.TeeFirmware));

        // Without pre-attestation an SEV-ES policy is just a launch option.
        Assert.Equal(7u, Assert.IsType<QemuConfig>(Load.Text(Load.MinimalQemu + "confidential_guest = true\nsev_guest_policy = 7\n" + Load.TeeFirmware).Hypervisor).SevGuestPolicy);
    }

    [Fact]
    public void Ccv0_secret_guid_and_type_are_read_and_checked()
    {
        // The CoCo SEV guide switches to offline_sev_kbc by editing exactly these two keys.
        var offline = Assert.IsType<QemuConfig>(Load.Text(Load.MinimalQemu + """
            guest_pre_attestation_secret_guid = "e6f5a162-d67f-4750-a67c-5d065f2a9910"
            guest_pre_attestation_secret_type = "bundle"

            """).Hypervisor);

        Assert.Equal("e6f5a162-d67f-4750-a67c-5d065f2a9910", offline.GuestPreAttestationSecretGuid);
        Assert.Equal("bundle", offline.GuestPreAttestationSecretType);
        Assert.Equal(
        [
            "configuration.toml:4:37: hypervisor.qemu.guest_pre_attestation_secret_guid: expected a GUID such as \"e6f5a162-d67f-4750-a67c-5d065f2a9910\", found string \"KEYSET-1\"",
            "configuration.toml:5:37: hypervisor.qemu.guest_pre_attestation_secret_type: expected one of \"bundle\", \"connection\", \"key\", \"report\", \"resource\", found string \"online\"",
        ],
            Load.Errors(Load.MinimalQemu + "guest_pre_attestation_secret_guid = \"KEYSET-1\"\nguest_pre_attestation_secret_type = \"online\"\n"));
    }

    [Fact]
    public void A_secret_type_that_contradicts_the_kbs_mode_is_a_warning()
    {
        var warnings = Load.Warnings(Load.MinimalQemu + "confidential_guest = true\nguest_pre_attestation = true\nguest_pre_attestation_secret_type = \"bundle\"\n" + Load.TeeFirmware);

        Assert.Equal(
            ["configuration.toml:6:37: hypervisor.qemu.guest_pre_attestation_secret_type: \"bundle\" overrides guest_pre_attestation_kbs_mode = \"online\" (which implies \"connection\")"],
            warnings);
    }

    [Fact]
    public void Annotation_kernel_params_default_to_the_coco_agent_options()
    {
        var config = Load.Text(Load.MinimalQemu + "enable_annotations = [\"kernel_params\"]\n");

        Assert.Equal(HypervisorConfig.DefaultAnnotationKernelParams, config.Hypervisor.ValidAnnotationKernelParams);
        Assert.Contains("agent.aa_kbc_params", config.Hypervisor.ValidAnnotationKernelParams);
        Assert.DoesNotContain("agent.debug_console", config.Hypervisor.ValidAnnotationKernelParams);
        var applied = config.WithAnnotations(new Dictionary<string, string>
        {
            [H + "kernel_params"] = "agent.aa_kbc_params=cc_kbc::http://192.0.2.1:8080 agent.guest_components_rest_api=resource",
        });
        Assert.Equal("agent.aa_kbc_params=cc_kbc::http://192.0.2.1:8080 agent.guest_components_rest_api=resource", applied.Hypervisor.KernelParams.ToString());
    }

    [Fact]
    public void An_annotation_setting_a_parameter_outside_the_list_fails_naming_each_refused_parameter()
    {
        var config = Load.Text(Load.MinimalQemu + "enable_annotations = [\"kernel_params\"]\n");

        var e = Assert.Throws<ConfigurationException>(() => config.WithAnnotations(new Dictionary<string, string>
        {
            [H + "kernel_params"] = "agent.log=debug init=/bin/sh dm-mod.create=\"x\" init=/x",
        }));

        Assert.Equal(
            "io.katacontainers.config.hypervisor.kernel_params: kernel parameters \"init\", \"dm-mod.create\" may not be set by an annotation: "
            + "valid_annotation_kernel_params in [hypervisor.qemu] allows only agent.aa_kbc_params, agent.guest_components_rest_api, "
            + "agent.guest_components_procs, agent.enable_signature_verification, agent.image_policy_file, agent.image_registry_auth, agent.log",
            Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void The_list_is_configurable_and_empty_refuses_everything()
    {
        var custom = Load.Text(Load.MinimalQemu + "enable_annotations = [\"kernel_params\"]\nvalid_annotation_kernel_params = [\"agent.debug_console\"]\n");
        var empty = Load.Text(Load.MinimalQemu + "enable_annotations = [\"kernel_params\"]\nvalid_annotation_kernel_params = []\n");

        Assert.Equal("agent.debug_console", custom.WithAnnotations(new Dictionary<string, string> { [H + "kernel_params"] = "agent.debug_console" }).Hypervisor.KernelParams.ToString());
        Assert.Throws<ConfigurationException>(() => custom.WithAnnotations(new Dictionary<string, string> { [H + "kernel_params"] = "agent.log=debug" }));
        var e = Assert.Throws<ConfigurationException>(() => empty.WithAnnotations(new Dictionary<string, string> { [H + "kernel_params"] = "agent.log=debug" }));
        Assert.EndsWith("kernel parameter \"agent.log\" may not be set by an annotation: valid_annotation_kernel_params in [hypervisor.qemu] is empty", Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void List_entries_are_parameter_names_without_values()
    {
        Assert.Equal(
            "configuration.toml:4:35: hypervisor.qemu.valid_annotation_kernel_params[0]: expected a kernel parameter name such as \"agent.aa_kbc_params\" (no \"=\", quotes or spaces), found string \"agent.log=debug\"",
            Load.Errors(Load.MinimalQemu + "valid_annotation_kernel_params = [\"agent.log=debug\"]\n")[0]);
    }
}
