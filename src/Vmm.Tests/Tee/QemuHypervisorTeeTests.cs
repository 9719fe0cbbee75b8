namespace Sealpod.Vmm.Tests.Tee;

/// <summary>
/// The QEMU driver's TEE launch on this machine: real QEMU 7.2, real QMP, the Go simple-kbs stand-in over real gRPC.
/// The host has no TEE, so checks that need one describe a TEE host through the planner's probe root (sysfs files
/// and CPUID); everything after the host check is real and fails where this host really cannot go on.
/// </summary>
[Collection(SimpleKbsCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class QemuHypervisorTeeTests(SimpleKbsBuild kbsBuild)
{
    private static QemuHypervisorOptions Options() => new()
    {
        StartTimeout = TimeSpan.FromSeconds(30),
        CommandTimeout = TimeSpan.FromSeconds(20),
        QuitTimeout = TimeSpan.FromSeconds(3),
        UnplugTimeout = TimeSpan.FromSeconds(1),
        Host = new HostResources(Cpus: 1, MemoryMiB: 1024),
    };

    private static QemuConfig Snp(QemuConfig c) => c with { ConfidentialGuest = true, SevSnpGuest = true, Firmware = "/usr/share/ovmf/OVMF.fd", SharedFs = SharedFs.None };

    [HostWithoutSnpFact]
    public void Snp_on_this_host_fails_before_anything_starts_naming_the_sysfs_file()
    {
        // The TEE is planned above the driver, so the factory refuses before any driver, probe or directory exists.
        using var state = new TempDirectory();
        var runtimeDirectory = state.File("vm");

        var error = Assert.Throws<HypervisorConfigurationException>(() =>
            HypervisorFactory.Create(Snp(TestConfigs.ForStubVm("/boot/vmlinuz")), new HypervisorFactoryOptions { StateDirectory = state.Path }));

        Assert.Equal("hypervisor.qemu.sev_snp_guest", error.Key);
        Assert.StartsWith("hypervisor.qemu.sev_snp_guest: this host cannot launch SEV-SNP guests: ", error.Message, StringComparison.Ordinal);
        if (!File.Exists("/sys/module/kvm_amd/parameters/sev_snp"))
        {
            // This development machine: kvm_amd is not loaded at all.
            Assert.EndsWith("/sys/module/kvm_amd/parameters/sev_snp: not found: kvm_amd is not loaded or has no SEV-SNP support", error.Message, StringComparison.Ordinal);
        }
        Assert.False(Directory.Exists(runtimeDirectory));
        Assert.Empty(Directory.EnumerateFileSystemEntries(state.Path));
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Vm)]
    public async Task Snp_on_an_snp_host_with_debians_qemu_fails_naming_the_qemu_release_needed()
    {
        using var host = TeeHosts.SevSnp();
        await using var vm = new StubVm(Snp, Options(), tee: host.Options);

        var error = await Assert.ThrowsAsync<HypervisorConfigurationException>(() => vm.StartAsync());

        Assert.Equal("hypervisor.qemu.path", error.Key);
        Assert.Contains($"at {RawQemu.Binary} has no sev-snp-guest object: SEV-SNP (sev_snp_guest = true) needs QEMU 9.1 or newer", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(vm.RuntimeDirectory));
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Vm)]
    public async Task Init_data_is_written_in_katas_format_and_attached_read_only()
    {
        var document = InitDataDocument.Create(InitDataAlgorithm.Sha256, new Dictionary<string, string> { ["cdh.toml"] = "[kbc]\nname = 'cc_kbc'\n" });
        await using var vm = new StubVm(c => c with { CcInitData = InitDataAnnotation.Encode(document) }, Options());

        await vm.StartAsync();

        var image = Path.Combine(vm.RuntimeDirectory, "initdata.img");
        await using (var file = File.OpenRead(image))
        {
            Assert.Equal(document.Digest, (await InitDataImage.ReadAsync(file)).Digest);
        }

        var disk = Assert.Single(vm.Hypervisor.BlockDevices, d => d.Device.Id == QemuHypervisor.InitDataDiskId);
        Assert.True(disk.Device.ReadOnly);
        Assert.Equal(QemuHypervisor.InitDataDiskId, disk.Device.Serial);
        await vm.Hypervisor.StopAsync(TimeSpan.Zero);
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Vm)]
    public void Malformed_init_data_fails_before_anything_starts_naming_the_annotation()
    {
        // Planned with the TEE, above the driver: the driver is never created.
        var error = Assert.Throws<HypervisorConfigurationException>(() => new StubVm(c => c with { CcInitData = Convert.ToBase64String("not gzip"u8) }, Options()));

        Assert.Equal(InitDataAnnotation.Name, error.Key);
        Assert.Equal($"{InitDataAnnotation.Name}: the base64-decoded value: expected gzip data (starting 1f 8b), found bytes starting 6e6f", error.Message);
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Vm)]
    public async Task Pre_attestation_with_an_unreachable_key_broker_fails_at_get_bundle_and_leaves_nothing()
    {
        using var host = TeeHosts.Sev();
        using var scratch = new TempDirectory();
        var chain = await CertChainAsync(scratch);
        var port = FreePort();
        await using var vm = new StubVm(c => Sev(c, $"127.0.0.1:{port}", chain), Options(), tee: host.Options);

        var error = await Assert.ThrowsAsync<HypervisorStartException>(() => vm.StartAsync());

        Assert.StartsWith($"SEV pre-attestation failed at key broker GetBundle: 127.0.0.1:{port} answered Unavailable", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("; the VM was stopped", error.Message, StringComparison.Ordinal);
        Assert.Equal(PreAttestationStep.GetBundle, Assert.IsType<PreAttestationException>(error.InnerException).Step);
        Assert.False(Directory.Exists(vm.RuntimeDirectory));
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Vm)]
    public async Task Pre_attestation_gets_a_session_then_qemu_cannot_create_sev_here_and_nothing_is_left()
    {
        // The broker opens a session and QEMU is launched paused with it; QEMU then fails in sev_kvm_init because
        // this host has no SEV. No secret is asked for, the session files and the VM directory are gone.
        using var host = TeeHosts.Sev();
        using var boot = new TempDirectory();
        var chain = await CertChainAsync(boot);
        await using var kbs = await StartBrokerAsync(boot);
        await using var vm = new StubVm(c => Sev(c, kbs.Address, chain), Options(), tee: host.Options);

        var error = await Assert.ThrowsAsync<HypervisorStartException>(() => vm.StartAsync());

        Assert.NotNull(error.ExitCode);
        Assert.NotEqual(0, error.ExitCode);
        Assert.Contains("GetBundle policy=0x3", kbs.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("GetSecret", kbs.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(vm.RuntimeDirectory));
        Assert.Empty(HostProcesses.FindByCommandLine(vm.QemuName));
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Vm)]
    public async Task On_real_qemu_the_measurement_step_fails_by_name_and_no_secret_is_requested()
    {
        // QEMU 7.2 under TCG, paused as the driver starts a pre-attested guest; without SEV it answers
        // query-sev-launch-measure with an error, which the flow reports as that step.
        using var boot = new TempDirectory();
        var chain = await CertChainAsync(boot);
        await using var kbs = await StartBrokerAsync(boot);
        var settings = SevPreAttestationSettings.From(Sev(new QemuConfig(), kbs.Address, chain));
        using var client = new SimpleKbsClient(kbs.Address);
        var logger = new ListLogger<QemuHypervisor>();
        var flow = new SevPreAttestation(settings, client, logger);
        await using var qemu = await RawQemu.StartAsync(paused: true);
        await using var qmp = await qemu.ConnectAsync();
        var session = await flow.StartSessionAsync(boot.File("session"));
        var control = new QmpSevLaunchControl(qmp, TimeSpan.FromSeconds(20));

        var error = await Assert.ThrowsAsync<PreAttestationException>(() =>
            flow.AttestAsync(control, session, new SevMeasuredBoot(boot.File("OVMF.fd"), boot.File("OVMF.fd"), null, string.Empty), "sandbox-1"));
        var status = await control.QuerySevAsync();

        Assert.Equal(PreAttestationStep.QueryLaunchMeasure, error.Step);
        Assert.Equal("SEV pre-attestation failed at QMP query-sev-launch-measure: QMP command 'query-sev-launch-measure' failed: GenericError: SEV launch measurement is not available", error.Message);
        Assert.Equal(new SevGuestStatus(0, 0, 0, 0, "uninit"), status);
        Assert.Equal("prelaunch", (await qmp.QueryStatusAsync()).Status); // -S: the guest has not run a single instruction
        Assert.DoesNotContain("GetSecret", kbs.Log, StringComparison.Ordinal);
        session.DeleteFiles();
        Assert.False(File.Exists(session.SessionFile));
    }

    private static QemuConfig Sev(QemuConfig c, string kbs, string chain) => c with
    {
        ConfidentialGuest = true,
        SharedFs = SharedFs.None,
        Firmware = "/usr/share/OVMF/OVMF_CODE.fd",
        SevGuestPolicy = 3,
        GuestPreAttestation = true,
        GuestPreAttestationKbsUri = kbs,
        GuestPreAttestationGrpcTimeout = TimeSpan.FromSeconds(10),
        SevCertChain = chain,
    };

    /// <summary>An SEV certificate chain file of random bytes in <paramref name="directory"/>.</summary>
    private static async Task<string> CertChainAsync(TempDirectory directory)
    {
        var chain = directory.File("cert_chain.cert");
        await File.WriteAllBytesAsync(chain, RandomNumberGenerator.GetBytes(256));
        return chain;
    }

    /// <summary>
    /// A simple-kbs releasing "secret-value" for KEYSET-1 to a guest that boots a 4 KiB zero OVMF.fd (in
    /// <paramref name="directory"/>) as firmware and kernel.
    /// </summary>
    private async Task<SimpleKbsServer> StartBrokerAsync(TempDirectory directory)
    {
        await File.WriteAllBytesAsync(directory.File("OVMF.fd"), new byte[4096]);
        return await SimpleKbsServer.StartAsync(kbsBuild, directory.File("OVMF.fd"), directory.File("OVMF.fd"), null, string.Empty, "KEYSET-1", "secret-value");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
