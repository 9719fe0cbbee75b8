using System.Buffers.Binary;
using System.Security.Cryptography;
using Sealpod.InitData;
using Sealpod.Tee.Host;
using Sealpod.Tee.Launch;
using Sealpod.Tee.TestSupport;
using Sealpod.Vmm.Acceleration;
using Sealpod.Vmm.Qemu;

namespace Sealpod.VmAgent.IntegrationTests;

/// <summary>
/// Init-Data end to end: the pod's <c>cc_init_data</c> annotation value goes through the real driver (which writes
/// Kata's initdata disk and attaches it), the real guest kernel and the real agent, which exposes the files under
/// /run/confidential-containers/initdata; a container reads them back. This host has no TEE (coco-dev attaches the
/// disk all the same, as Kata's qemu-coco-dev does), so the binding half is the argv the same configuration renders on
/// an SNP and a TDX host: the digest of the bytes the guest holds must be its host-data and mrconfigid.
/// </summary>
public sealed class InitDataInVmTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string GuestDirectory = "/run/confidential-containers/initdata";

    private static readonly InitDataDocument Document = InitDataDocument.Create(InitDataAlgorithm.Sha384, new Dictionary<string, string>
    {
        ["aa.toml"] = "[token_configs]\n[token_configs.kbs]\nurl = \"http://192.0.2.1:8080\"\n",
        ["cdh.toml"] = "socket = 'unix:///run/confidential-containers/cdh.sock'\n\n[kbc]\nname = \"cc_kbc\"\nurl = \"http://192.0.2.1:8080\"\n",
        ["policy.rego"] = PolicyRego,
    });

    // In the shape of Kata's src/kata-opa documents; the agent enforces it: what this test does, and CopyFile denied.
    private const string PolicyRego = """
        # Init-Data policy of the InitDataInVmTests.
        package agent_policy

        default CreateContainerRequest := true
        default StartContainerRequest := true
        default ExecProcessRequest := true
        default ReadStreamRequest := true
        default WaitProcessRequest := true
        default SignalProcessRequest := true
        default RemoveContainerRequest := true
        default CopyFileRequest := false

        """;

    [Theory]
    [InlineData(BlockDeviceDriver.VirtioBlk)]
    [InlineData(BlockDeviceDriver.VirtioScsi)]
    public async Task The_pods_init_data_reaches_the_guest_intact_and_its_digest_is_what_the_tee_binds(BlockDeviceDriver driver)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var annotation = InitDataAnnotation.Encode(Document);
        QemuConfig? config = null;
        await using var vm = await GuestVm.BootAsync(
            driver == BlockDeviceDriver.VirtioBlk ? "idblk" : "idscsi",
            configure: c => config = ((QemuConfig)c) with { CcInitData = annotation, BlockDeviceDriver = driver },
            cancellationToken: timeout.Token);
        var disk = Assert.Single(vm.Hypervisor.BlockDevices);
        Assert.Equal(QemuHypervisor.InitDataDiskId, disk.Device.Id);
        Assert.Equal(driver == BlockDeviceDriver.VirtioBlk ? GuestBlockDriver.VirtioBlk : GuestBlockDriver.VirtioScsi, disk.Driver);

        // A container with the guest directory bind-mounted read-only, as a guest component's would be.
        var mount = new OciMount { Source = GuestDirectory, Destination = "/initdata", Type = "bind", Options = ["rbind", "ro"] };
        await vm.RunContainerAsync("reader", ["sleep", "1000"], mounts: [mount], cancellationToken: timeout.Token);

        var listing = Encoding.UTF8.GetString(await ExecAsync(vm, "reader", "ls", ["ls", "-1", "/initdata"], timeout.Token));
        var guestToml = await ExecAsync(vm, "reader", "toml", ["cat", "/initdata/initdata.toml"], timeout.Token);
        var aa = Encoding.UTF8.GetString(await ExecAsync(vm, "reader", "aa", ["cat", "/initdata/aa.toml"], timeout.Token));
        var cdh = Encoding.UTF8.GetString(await ExecAsync(vm, "reader", "cdh", ["cat", "/initdata/cdh.toml"], timeout.Token));

        Assert.Equal("aa.toml\ncdh.toml\ninitdata.toml\n", listing);
        Assert.Equal(Document.Toml.ToArray(), guestToml);
        Assert.Equal(Document.Data["aa.toml"], aa);
        Assert.Equal(Document.Data["cdh.toml"], cdh);

        // The guest's bytes digest to what the TEE would bind for this configuration: SNP's HOST_DATA takes the first
        // 32 bytes of the SHA-384, TDX's MRCONFIGID all 48. TEE guests boot the initrd, as the shipped TEE files do (the
        // driver refuses a root disk image for them: the launch measurement would leave it out).
        var digest = SHA384.HashData(guestToml);
        var snpArgs = RenderTee(config! with { ConfidentialGuest = true, SevSnpGuest = true, Firmware = "/usr/share/ovmf/OVMF.fd", Image = string.Empty, Initrd = GuestAssets.Initrd }, SevSnpHost);
        Assert.Contains($",host-data={Convert.ToBase64String(digest[..32])}", ObjectNamed(snpArgs, "sev-snp-guest"), StringComparison.Ordinal);
        var tdxArgs = RenderTee(config! with { ConfidentialGuest = true, Firmware = "/usr/share/ovmf/OVMF.fd", Image = string.Empty, Initrd = GuestAssets.Initrd }, TdxHost);
        Assert.Contains($"\"mrconfigid\":\"{Convert.ToBase64String(digest)}\"", ObjectNamed(tdxArgs, "{\"qom-type\":\"tdx-guest\""), StringComparison.Ordinal);

        // The document's policy.rego is in force: a request it denies, and one it has no rule for, never run.
        var copy = await Assert.ThrowsAsync<Sealpod.Rpc.RpcException>(() => vm.Agent.CopyFileAsync(new CopyFileRequest { Path = "/run/x", FileSize = 0 }, timeout.Token));
        Assert.Equal(Sealpod.Rpc.StatusCode.PermissionDenied, copy.StatusCode);
        Assert.Equal("CopyFileRequest is blocked by policy: default CopyFileRequest := false (Init-Data policy.rego line 11)", copy.Message);
        var pause = await Assert.ThrowsAsync<Sealpod.Rpc.RpcException>(() => vm.Agent.PauseContainerAsync("reader", timeout.Token));
        Assert.Equal(Sealpod.Rpc.StatusCode.PermissionDenied, pause.StatusCode);

        var console = GuestVm.ConsoleTail(vm.Hypervisor, 400);
        Assert.Contains("Init-Data from /dev/", console, StringComparison.Ordinal);
        Assert.Contains("policy denied CopyFileRequest", console, StringComparison.Ordinal);
        ReportAgentLines(console);
        await vm.KillContainerAsync("reader", timeout.Token);
    }

    [Fact]
    public async Task Without_init_data_the_guest_has_no_init_data_directory()
    {
        // virtio-scsi, the shipped default: the agent's scan of the boot disks' target finds nothing, quickly.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var vm = await GuestVm.BootAsync(
            "idnone",
            configure: c => ((QemuConfig)c) with { BlockDeviceDriver = BlockDeviceDriver.VirtioScsi },
            cancellationToken: timeout.Token);
        Assert.Empty(vm.Hypervisor.BlockDevices);

        await vm.RunContainerAsync("probe", ["sleep", "1000"], mounts: [new OciMount { Source = "/run", Destination = "/guest-run", Type = "bind", Options = ["rbind", "ro"] }], cancellationToken: timeout.Token);
        var listing = Encoding.UTF8.GetString(await ExecAsync(vm, "probe", "ls", ["sh", "-c", "ls /guest-run; test -e /guest-run/confidential-containers; echo exists=$?"], timeout.Token));

        Assert.EndsWith("exists=1\n", listing, StringComparison.Ordinal);
        var console = GuestVm.ConsoleTail(vm.Hypervisor, 400);
        Assert.Contains("no Init-Data disk", console, StringComparison.Ordinal);
        ReportAgentLines(console);
        await vm.KillContainerAsync("probe", timeout.Token);
    }

    [Fact]
    public async Task A_corrupt_init_data_disk_fails_the_boot_and_the_host_sees_the_vm_end_with_the_agents_reason()
    {
        // Kata's magic and a length, then bytes that are not gzip: what a broken or tampered disk looks like.
        var image = Path.Combine(Path.GetTempPath(), $"svi-corrupt-{Guid.NewGuid():N}.img");
        var bytes = new byte[512];
        InitDataImage.Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), 100);
        "this is not gzip"u8.CopyTo(bytes.AsSpan(InitDataImage.HeaderSize));
        await File.WriteAllBytesAsync(image, bytes);
        try
        {
            var disk = new BlockDevice { Id = "initdata", Path = image, ReadOnly = true, Serial = "initdata" };
            var before = Directory.GetDirectories("/tmp", "svi-idbad-*");
            var error = await Assert.ThrowsAsync<AgentUnreachableException>(
                () => GuestVm.BootAsync("idbad", dialTimeout: TimeSpan.FromMinutes(2), blockDevices: [disk]));

            // The VM powered itself off (guest-shutdown, so not the dial timeout) and the console says why.
            Assert.Contains("the VM exited before the agent", error.Message, StringComparison.Ordinal);
            Assert.Contains("guest-shutdown", error.Message, StringComparison.Ordinal);
            Assert.Matches(@"failing the boot: Init-Data disk /dev/[sv]da: Init-Data disk payload: expected gzip data \(starting 1f 8b\), found bytes starting 7468", error.Message);
            Assert.Equal(before, Directory.GetDirectories("/tmp", "svi-idbad-*"));
        }
        finally
        {
            File.Delete(image);
        }
    }

    // The agent's own figures (run with --logger "console;verbosity=detailed"): how long finding and reading the disk took.
    private void ReportAgentLines(string console)
    {
        foreach (var line in console.Split('\n').Where(l => l.Contains("Init-Data", StringComparison.Ordinal) || l.Contains("ready in", StringComparison.Ordinal)))
        {
            output.WriteLine(line.Trim());
        }
    }

    /// <summary>Runs <paramref name="args"/> in <paramref name="container"/> and returns its stdout; it must exit 0.</summary>
    private static async Task<byte[]> ExecAsync(GuestVm vm, string container, string execId, string[] args, CancellationToken cancellationToken)
    {
        var (stdout, status) = await vm.ExecAsync(container, execId, args, cancellationToken);
        Assert.Equal(0, status);
        return stdout;
    }

    /// <summary>The argv the QEMU driver renders for <paramref name="config"/> on the TEE host <paramref name="host"/>.</summary>
    private static IReadOnlyList<string> RenderTee(QemuConfig config, (string File, string Content)[] host)
    {
        using var root = new TempDirectory("svi-teehost-");
        foreach (var (file, content) in host)
        {
            root.Write(file, content);
        }

        var plan = new TeePlanner(new TeePlannerOptions { ProbeRoot = root.Path, Cpuid = FakeCpuid.Milan }).Plan(config);
        Assert.Equal(Document.Toml.ToArray(), plan.InitData!.Toml.ToArray());
        return QemuCommandLineFactory.Create(new QemuLaunchRequest
        {
            Config = config,
            Spec = new VmSpec { SandboxId = "tee", RuntimeDirectory = "/run/sealpod/vm/tee" },
            Accelerator = Accelerator.Kvm,
            Files = new QemuVmFiles("/run/sealpod/vm/tee"),
            AgentEndpoint = new VsockAgentEndpoint(3, VsockAgentEndpoint.DefaultPort),
            Host = new HostResources(Cpus: 2, MemoryMiB: 4096),
            Tee = plan.Launch,
        }).Build();
    }

    private static string ObjectNamed(IReadOnlyList<string> args, string prefix)
    {
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (args[i] == "-object" && args[i + 1].StartsWith(prefix, StringComparison.Ordinal))
            {
                return args[i + 1];
            }
        }

        throw new Xunit.Sdk.XunitException($"-object {prefix}... missing from {string.Join(' ', args)}");
    }

    private static (string, string)[] SevSnpHost => [(TeeHostSupport.SevSnpParameter, "Y\n"), (TeeHostSupport.SevParameter, "Y\n"), (TeeHostSupport.SevDevice, string.Empty)];

    private static (string, string)[] TdxHost => [(TeeHostSupport.TdxParameter, "Y\n")];
}
