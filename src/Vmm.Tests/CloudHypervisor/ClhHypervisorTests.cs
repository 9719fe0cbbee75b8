namespace Sealpod.Vmm.Tests.CloudHypervisor;

/// <summary>
/// The Cloud Hypervisor driver against fake-cloud-hypervisor (a stand-in: Debian 12 has no cloud-hypervisor package):
/// a real child process serving the REST API on the --api-socket unix socket. Every request the driver sends is
/// checked against Cloud Hypervisor's OpenAPI schema.
/// </summary>
[Collection(FakeCloudHypervisorCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ClhHypervisorTests(FakeCloudHypervisorBuild fake) : TempDirectoryTest
{
    private static readonly OpenApiDocument Schema = OpenApiDocument.Load(OpenApiDocument.SchemaPath);

    private CloudHypervisorConfig Config(Func<CloudHypervisorConfig, CloudHypervisorConfig>? change = null)
    {
        var config = new CloudHypervisorConfig
        {
            Path = fake.Executable,
            Kernel = Temp.File("vmlinux"),
            Initrd = Temp.File("initrd.img"),
            DefaultMemoryMiB = 512,
        };
        return change is null ? config : change(config);
    }

    private static ClhHypervisorOptions Options() => new()
    {
        StartTimeout = TimeSpan.FromSeconds(20),
        ApiTimeout = TimeSpan.FromSeconds(10),
        ConfidentialApiTimeout = TimeSpan.FromSeconds(10),
        QuitTimeout = TimeSpan.FromSeconds(5),
        Host = new HostResources(Cpus: 2, MemoryMiB: 4096),
    };

    // The TEE is planned above the driver, as the factory does; tee describes another host.
    private static ClhHypervisor Driver(CloudHypervisorConfig config, TeePlannerOptions? tee = null, ListLogger<ClhHypervisor>? logger = null) =>
        new(config, HypervisorFactory.PlanTee(config, tee), Options(), logger);

    private VmSpec Spec(Func<VmSpec, VmSpec>? change = null)
    {
        var spec = new VmSpec { SandboxId = "clh-" + Temp.Name, RuntimeDirectory = Temp.File("vm") };
        return change is null ? spec : change(spec);
    }

    [Fact]
    public async Task Runs_a_vm_through_the_rest_api_and_every_request_conforms_to_the_openapi_schema()
    {
        var document = InitDataDocument.Create(InitDataAlgorithm.Sha384, new Dictionary<string, string> { ["aa.toml"] = "x = 1\n" });
        var disk = Temp.File("data.img");
        await File.WriteAllBytesAsync(disk, new byte[4096]);
        var hotplug = Temp.File("hotplug.img");
        await File.WriteAllBytesAsync(hotplug, new byte[4096]);
        await using var vm = Driver(Config(c => c with { CcInitData = InitDataAnnotation.Encode(document) }));

        await vm.StartAsync(Spec(s => s with { BlockDevices = [new BlockDevice { Id = "data", Path = disk, ReadOnly = false }] }));

        var pid = vm.Pid!.Value;
        Assert.Equal(HypervisorState.Running, vm.State);
        Assert.Equal(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), await File.ReadAllTextAsync(Path.Combine(Temp.File("vm"), "clh.pid")));
        Assert.Equal(new HybridVsockAgentEndpoint(Path.Combine(Temp.File("vm"), "kata.hvsock"), 1024), vm.AgentEndpoint);
        Assert.Equal("02", vm.BlockDevices.Single(d => d.Device.Id == "data").GuestAddress.ToString());
        Assert.Equal("03", vm.BlockDevices.Single(d => d.Device.Id == "initdata").GuestAddress.ToString());
        await using (var image = File.OpenRead(Path.Combine(Temp.File("vm"), "initdata.img")))
        {
            Assert.Equal(document.Digest, (await InitDataImage.ReadAsync(image)).Digest);
        }

        var added = await vm.HotplugBlockDeviceAsync(new BlockDevice { Id = "hot", Path = hotplug, Serial = "hot1" });
        Assert.Equal(("04", true, GuestBlockDriver.VirtioBlk), (added.GuestAddress.ToString(), added.Hotplugged, added.Driver));
        await vm.UnplugBlockDeviceAsync("hot");
        await vm.PauseAsync();
        await vm.ResumeAsync();
        var exit = await vm.StopAsync(TimeSpan.Zero);

        Assert.False(exit.Killed);
        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("host-api-shutdown", exit.ShutdownReason);

        // The sockets and the pid file go with the VMM (the stand-in writes no console); the log and the inputs stay until dispose.
        Assert.Equal(["clh.log", "initdata.img"], Directory.EnumerateFiles(Temp.File("vm")).Select(Path.GetFileName).Order());
        var requests = Requests(pid);
        Assert.Equal(
            [
                "GET /api/v1/vmm.ping", "PUT /api/v1/vm.create", "PUT /api/v1/vm.boot", "GET /api/v1/vm.info", "PUT /api/v1/vm.add-disk",
                "PUT /api/v1/vm.remove-device", "PUT /api/v1/vm.pause", "PUT /api/v1/vm.resume", "PUT /api/v1/vm.shutdown", "PUT /api/v1/vmm.shutdown",
            ],
            requests.Select(r => $"{r.Method} {r.Path}").Distinct());
        Assert.All(requests, r => Assert.Equal([], Schema.ValidateRequest(r.Method, r.Path, r.Body)));
        var create = requests.Single(r => r.Path.EndsWith("vm.create", StringComparison.Ordinal)).Body!.Value;
        Assert.Equal(512L * 1024 * 1024, create.GetProperty("memory").GetProperty("size").GetInt64());
        Assert.Equal(Config().Kernel, create.GetProperty("payload").GetProperty("kernel").GetString());
    }

    [Fact]
    public async Task Dispose_leaves_no_process_socket_or_file()
    {
        var vm = Driver(Config());
        await vm.StartAsync(Spec());
        var pid = vm.Pid!.Value;

        await vm.DisposeAsync();

        Assert.False(HostProcesses.Exists(pid));
        Assert.False(Directory.Exists(Temp.File("vm")));
        Assert.Equal(HypervisorState.Disposed, vm.State);
    }

    [Fact]
    public async Task A_graceful_stop_presses_the_power_button_and_waits_for_the_vmm_to_exit()
    {
        await using var vm = Driver(Config());
        await vm.StartAsync(Spec());
        var pid = vm.Pid!.Value;

        var exit = await vm.StopAsync(TimeSpan.FromSeconds(10));

        Assert.False(exit.Killed);
        Assert.Equal("guest-shutdown", exit.ShutdownReason);
        Assert.Equal(["vm.power-button"], Requests(pid).Select(r => Path.GetFileName(r.Path)).Where(p => p.Contains("power", StringComparison.Ordinal) || p.EndsWith("shutdown", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_vm_started_paused_is_created_and_boots_on_resume()
    {
        await using var vm = Driver(Config());
        await vm.StartAsync(Spec(s => s with { StartPaused = true }));
        var pid = vm.Pid!.Value;

        Assert.DoesNotContain(Requests(pid), r => r.Path.EndsWith("vm.boot", StringComparison.Ordinal));
        await vm.ResumeAsync();
        await vm.ResumeAsync();

        Assert.Equal(["vm.boot", "vm.resume"], Requests(pid).Select(r => Path.GetFileName(r.Path)).Where(p => p is "vm.boot" or "vm.resume"));
    }

    [Fact]
    public async Task The_launch_log_shows_the_kernel_command_line_without_the_kbs_endpoint()
    {
        var logger = new ListLogger<ClhHypervisor>();
        await using var vm = Driver(Config(c => c with { KernelParams = KernelParameters.Parse("agent.aa_kbc_params=cc_kbc::http://kbs.secret.example:8080 agent.log=debug") }), logger: logger);

        await vm.StartAsync(Spec());

        var launch = Assert.Single(logger.Lines, l => l.Contains("launching Cloud Hypervisor", StringComparison.Ordinal));
        Assert.StartsWith("Information: ", launch, StringComparison.Ordinal);
        Assert.Contains("agent.aa_kbc_params=<redacted>", launch, StringComparison.Ordinal);
        Assert.Contains("agent.log=debug", launch, StringComparison.Ordinal);
        Assert.DoesNotContain(logger.Lines, l => l.Contains("kbs.secret.example", StringComparison.Ordinal));
        await vm.StopAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_vmm_that_exits_during_start_up_is_a_start_error_with_its_exit_code_and_nothing_is_left()
    {
        var logger = new ListLogger<ClhHypervisor>();
        await using var vm = Driver(Config(c => c with { Path = "/bin/false" }), logger: logger);

        var error = await Assert.ThrowsAsync<HypervisorStartException>(() => vm.StartAsync(Spec()));

        Assert.Equal("Cloud Hypervisor exited during start-up (exit code 1)", error.Message);
        Assert.Equal(HypervisorState.Failed, vm.State);
        Assert.False(Directory.Exists(Temp.File("vm")));
        Assert.Contains($"Error: sandbox {Spec().SandboxId}: Cloud Hypervisor exited during start-up (exit code 1)", logger.Lines);
    }

    [Fact]
    public async Task A_vmm_whose_owner_is_lost_is_killed_by_the_drivers_orphan_cleanup_and_its_files_removed()
    {
        // The driver records the VMM's pid (clh.pid) as it starts it. Then its owner "is lost": nothing stops the VM, and
        // the driver's cleanup, as delete reaches it through the factory, finds the VMM by that file alone.
        var vm = Driver(Config());
        await vm.StartAsync(Spec());
        var pid = vm.Pid!.Value;
        var directory = Temp.File("vm");
        Assert.True(File.Exists(Path.Combine(directory, "clh.pid")));
        Assert.True(File.Exists(Path.Combine(directory, "clh-api.sock")));

        var cleanup = await HypervisorFactory.CleanupOrphansAsync(directory);

        Assert.Equal(pid, cleanup.HypervisorPid);
        Assert.Empty(cleanup.Warnings);
        var exit = await vm.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(128 + 9, exit.ExitCode);
        Assert.False(HostProcesses.Exists(pid));
        Assert.False(Directory.Exists(directory));
        await vm.DisposeAsync();
    }

    [Fact]
    public async Task Orphan_cleanup_leaves_a_process_that_only_reuses_the_recorded_pid_and_a_directory_it_does_not_own()
    {
        var directory = Temp.File("vm");
        Directory.CreateDirectory(directory);
        using var bystander = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sleep", ["600"]))!;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "clh.pid"), bystander.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await File.WriteAllTextAsync(Path.Combine(directory, "someone-elses.txt"), "kept");

            var cleanup = await new ClhDriver().CleanupOrphansAsync(directory);

            Assert.Null(cleanup.HypervisorPid);
            Assert.False(bystander.HasExited);
            Assert.Equal(["someone-elses.txt"], Directory.EnumerateFiles(directory).Select(Path.GetFileName));
        }
        finally
        {
            bystander.Kill();
        }
    }

    [HostWithoutSnpFact]
    public void Snp_on_this_host_fails_fast_naming_the_sysfs_file()
    {
        // The TEE is planned above the driver: the factory refuses before a driver exists.
        var config = Config(c => c with { ConfidentialGuest = true, SevSnpGuest = true, Igvm = "/usr/share/sealpod/sealpod.igvm", Initrd = string.Empty, Image = "/i.img" });

        var error = Assert.Throws<HypervisorConfigurationException>(() => HypervisorFactory.Create(config, new HypervisorFactoryOptions { StateDirectory = Temp.File("state") }));

        Assert.Equal("hypervisor.clh.sev_snp_guest", error.Key);
        Assert.Contains("/sys/module/kvm_amd/parameters/sev_snp", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Temp.File("vm")));
    }

    [Fact]
    public async Task Tdx_on_a_tdx_host_sends_the_firmware_and_platform_tdx()
    {
        using var host = TeeHosts.Tdx();
        var config = Config(c => c with { ConfidentialGuest = true, Firmware = "/usr/share/sealpod/td-shim.bin", SharedFs = SharedFs.None });
        await using var vm = Driver(config, host.Options);

        await vm.StartAsync(Spec());
        var create = Requests(vm.Pid!.Value).Single(r => r.Path.EndsWith("vm.create", StringComparison.Ordinal)).Body!.Value;

        Assert.Equal([], Schema.ValidateRequest("PUT", "/api/v1/vm.create", create));
        Assert.True(create.GetProperty("platform").GetProperty("tdx").GetBoolean());
        Assert.Equal("/usr/share/sealpod/td-shim.bin", create.GetProperty("payload").GetProperty("firmware").GetString());
        Assert.False(create.TryGetProperty("rng", out _));
    }

    private List<(string Method, string Path, JsonElement? Body)> Requests(int pid) =>
        File.ReadAllLines(fake.RequestLog(pid))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(e => (e.GetProperty("method").GetString()!, e.GetProperty("path").GetString()!,
                e.GetProperty("body").ValueKind == JsonValueKind.Null ? (JsonElement?)null : e.GetProperty("body").Clone()))
            .ToList();
}
