using Sealpod.Vmm.Acceleration;

namespace Sealpod.Runtime.Tests.Fakes;

/// <summary>
/// A hypervisor that is already "running", for sandbox-layer tests that do not boot QEMU (the Vmm tests and
/// the integration tests do). Disks get PCI paths on bridge slot 2 like the QEMU driver's virtio-blk layout.
/// </summary>
internal sealed class FakeHypervisor : IHypervisor
{
    private readonly TaskCompletionSource<VmExitInfo> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, BlockDeviceAttachment> _disks = new();
    private int _nextSlot = 1;

    public FakeHypervisor(params BlockDevice[] bootDisks)
    {
        foreach (var disk in bootDisks)
        {
            _disks[disk.Id] = new BlockDeviceAttachment(disk, GuestBlockDriver.VirtioBlk, new PciPath(2, _nextSlot++), Hotplugged: false);
        }
    }

    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>Shared with a <see cref="FakeAgent"/> to see the order of calls across both ("vm Stop", "agent Dispose", ...).</summary>
    public ConcurrentQueue<string>? Journal { get; init; }

    /// <summary>What the sandbox asked to boot.</summary>
    public VmSpec? Started { get; private set; }

    /// <summary>Thrown by <see cref="StartAsync"/>, to test a VM that does not come up.</summary>
    public Exception? StartFailure { get; init; }

    public string Name => "fake";

    public HypervisorState State => _exit.Task.IsCompleted ? HypervisorState.Exited : HypervisorState.Running;

    public int? Pid { get; init; } = 4242;

    public IReadOnlyList<int> HelperPids { get; init; } = [];

    /// <summary>What <see cref="VcpuThreadIdsAsync"/> answers.</summary>
    public IReadOnlyList<int> VcpuThreads { get; init; } = [];

    public Task<IReadOnlyList<int>> VcpuThreadIdsAsync(CancellationToken cancellationToken = default) => Task.FromResult(VcpuThreads);

    public string? ConsoleLogPath => null;

    public string? HypervisorLogPath => null;

    public AgentEndpoint? AgentEndpoint { get; init; }

    public AcceleratorDecision? Accelerator => null;

    public IReadOnlyCollection<BlockDeviceAttachment> BlockDevices => _disks.Values.ToArray();

    public Task StartAsync(VmSpec spec, CancellationToken cancellationToken = default)
    {
        Note("Start");
        Started = spec;

        // As the real drivers do: the VM's files live in its runtime directory.
        Directory.CreateDirectory(spec.RuntimeDirectory);
        foreach (var disk in spec.BlockDevices)
        {
            _disks[disk.Id] = new BlockDeviceAttachment(disk, GuestBlockDriver.VirtioBlk, new PciPath(2, _nextSlot++), Hotplugged: false);
        }
        return StartFailure is null ? Task.CompletedTask : Task.FromException(StartFailure);
    }

    /// <summary>Simulates the VM dying (qemu killed).</summary>
    public void Crash() => _exit.TrySetResult(new VmExitInfo(137, null, Killed: false, DateTimeOffset.UtcNow));

    public Task<VmExitInfo> StopAsync(TimeSpan gracePeriod, CancellationToken cancellationToken = default)
    {
        Note("Stop");
        _exit.TrySetResult(new VmExitInfo(0, "host-qmp-quit", Killed: false, DateTimeOffset.UtcNow));
        return _exit.Task;
    }

    public Task<VmExitInfo> WaitForExitAsync(CancellationToken cancellationToken = default) => _exit.Task.WaitAsync(cancellationToken);

    public Task<BlockDeviceAttachment> HotplugBlockDeviceAsync(BlockDevice device, CancellationToken cancellationToken = default)
    {
        Note($"Hotplug {device.Id}");
        var attachment = new BlockDeviceAttachment(device, GuestBlockDriver.VirtioBlk, new PciPath(2, _nextSlot++), Hotplugged: true);
        _disks[device.Id] = attachment;
        return Task.FromResult(attachment);
    }

    public Task UnplugBlockDeviceAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        Note($"Unplug {deviceId}");
        _disks.TryRemove(deviceId, out _);
        return Task.CompletedTask;
    }

    /// <summary>Makes <see cref="DisposeAsync"/> fail once the VM is gone.</summary>
    public Exception? DisposeError { get; set; }

    public ValueTask DisposeAsync()
    {
        Note("Dispose");
        _exit.TrySetResult(new VmExitInfo(0, null, Killed: false, DateTimeOffset.UtcNow));
        return DisposeError is null ? ValueTask.CompletedTask : ValueTask.FromException(DisposeError);
    }

    private void Note(string call)
    {
        Calls.Enqueue(call);
        Journal?.Enqueue("vm " + call);
    }
}
