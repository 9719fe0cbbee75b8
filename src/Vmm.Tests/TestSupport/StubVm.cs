namespace Sealpod.Vmm.Tests.TestSupport;

/// <summary>
/// A QemuHypervisor for a real QEMU (TCG) booting the stub kernel, in a unique directory, with
/// short timeouts. Its TEE is planned as the factory plans it (<paramref name="tee"/> describes
/// another host); a plan that fails throws from the constructor, before anything exists.
/// Disposing disposes the driver, then checks that no process with the VM's name is left and
/// removes the directory.
/// </summary>
public sealed class StubVm : IAsyncDisposable
{
    private readonly TempDirectory _temp = new();

    public StubVm(Func<QemuConfig, QemuConfig>? configure = null, QemuHypervisorOptions? options = null, string? kernel = null, TeePlannerOptions? tee = null)
    {
        Kernel = kernel ?? StubKernel.Write(_temp.Path);
        Config = (configure ?? (c => c))(TestConfigs.ForStubVm(Kernel));
        TeePlan plan;
        try
        {
            plan = HypervisorFactory.PlanTee(Config, tee);
        }
        catch
        {
            _temp.Dispose();
            throw;
        }

        Logger = new ListLogger<QemuHypervisor>();
        var probe = new AcceleratorProbe(new AcceleratorProbeOptions { GetEnvironmentVariable = name => name == AcceleratorProbeOptions.OverrideVariable ? "tcg" : null });
        Hypervisor = new QemuHypervisor(Config, plan, probe, options ?? new QemuHypervisorOptions
        {
            StartTimeout = TimeSpan.FromSeconds(30),
            CommandTimeout = TimeSpan.FromSeconds(20),
            QuitTimeout = TimeSpan.FromSeconds(3),
            UnplugTimeout = TimeSpan.FromSeconds(1),
            Host = new HostResources(Cpus: 1, MemoryMiB: 1024),
        }, Logger);
        SandboxId = "svt-" + _temp.Name;
        RuntimeDirectory = _temp.File("vm");
    }

    public QemuConfig Config { get; }

    public string Kernel { get; }

    public QemuHypervisor Hypervisor { get; }

    public ListLogger<QemuHypervisor> Logger { get; }

    public string SandboxId { get; }

    /// <summary>The VM directory (created by the driver).</summary>
    public string RuntimeDirectory { get; }

    /// <summary>Scratch space next to the VM directory, for disk images.</summary>
    public string Scratch => _temp.Path;

    public string QemuName => "sandbox-" + SandboxId;

    public VmSpec Spec(Func<VmSpec, VmSpec>? configure = null)
    {
        var spec = new VmSpec { SandboxId = SandboxId, RuntimeDirectory = RuntimeDirectory, AgentTransport = AgentTransport.VirtioSerial };
        return configure is null ? spec : configure(spec);
    }

    public Task StartAsync(Func<VmSpec, VmSpec>? configure = null) => Hypervisor.StartAsync(Spec(configure));

    public string Image(string name, int sizeBytes = 1024 * 1024)
    {
        var path = Path.Combine(_temp.Path, name);
        using var file = File.Create(path);
        file.SetLength(sizeBytes);
        return path;
    }

    /// <summary>Waits (bounded) until the guest console shows the stub's marker.</summary>
    public async Task<string> WaitForConsoleAsync()
    {
        var path = Hypervisor.ConsoleLogPath!;
        for (var i = 0; i < 300; i++)
        {
            var text = File.Exists(path) ? await File.ReadAllTextAsync(path) : string.Empty;
            if (text.Contains(StubKernel.ConsoleMarker, StringComparison.Ordinal))
            {
                return text;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the stub guest never wrote to its console");
    }

    public async ValueTask DisposeAsync()
    {
        await Hypervisor.DisposeAsync();
        Assert.Empty(HostProcesses.FindByCommandLine(QemuName));
        Assert.False(Directory.Exists(RuntimeDirectory), $"{RuntimeDirectory} was left behind");
        _temp.Dispose();
    }
}
