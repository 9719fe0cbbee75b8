using Microsoft.Extensions.Logging.Abstractions;

namespace Sealpod.Vmm.Tests.TestSupport;

/// <summary>
/// A real qemu-system-x86_64 with no guest at all (TCG, -S, no kernel) and a QMP socket, for
/// protocol tests. Disposing kills and reaps it and removes its directory.
/// </summary>
public sealed class RawQemu : IAsyncDisposable
{
    public const string Binary = "/usr/bin/qemu-system-x86_64";

    private readonly TempDirectory _directory;
    private readonly VmProcess _process;

    private RawQemu(TempDirectory directory, VmProcess process, string name)
    {
        _directory = directory;
        _process = process;
        Name = name;
    }

    /// <summary>The unique -name, to find the process on the host.</summary>
    public string Name { get; }

    public int Pid => _process.Pid;

    public string QmpSocket => _directory.File("qmp.sock");

    public string Directory => _directory.Path;

    public Task<int> Exited => _process.Exited;

    public static async Task<RawQemu> StartAsync(bool paused = true)
    {
        var directory = new TempDirectory();
        var name = "svt-raw-" + directory.Name;
        var commandLine = new QemuCommandLine
        {
            Name = new VmName(name),
            Machine = new Q35Machine { Accelerator = Accelerator.Tcg },
            Cpu = new Cpu(CpuModel.Max),
            Smp = new Smp(1),
            Memory = new Memory(64),
            FreezeAtStartup = paused,
        }
        .Add(new PciBridge("pci-bridge-0", 1, new PciAddress("pcie.0", 2)))
        .Add(new ChardevSocket("qmp", directory.File("qmp.sock")))
        .Add(new QmpMonitor("qmp"))
        .Add(new VirtioScsiPci("scsi0"));

        var process = VmProcess.Start("QEMU", Binary, commandLine.Build(), directory.Path, directory.File("qemu.log"), NullLogger.Instance);
        var qemu = new RawQemu(directory, process, name);
        try
        {
            // The socket appears before QEMU listens on it only for an instant; poll until it does.
            for (var i = 0; !File.Exists(qemu.QmpSocket); i++)
            {
                if (process.HasExited || i > 1000)
                {
                    throw new InvalidOperationException("QEMU did not create its QMP socket: " + process.ReadLogTail());
                }

                await Task.Delay(10);
            }

            return qemu;
        }
        catch
        {
            await qemu.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Connects to QMP. QEMU binds the socket file an instant before it listens on it, so a refused
    /// connection is retried for a while rather than failing the test.
    /// </summary>
    public async Task<QmpClient> ConnectAsync(CancellationToken cancellationToken = default)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await QmpClient.ConnectAsync(QmpSocket, NullLogger.Instance, cancellationToken);
            }
            catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionRefused && attempt < 500 && !_process.HasExited)
            {
                await Task.Delay(10, cancellationToken);
            }
        }
    }

    public string Log() => _process.ReadLogTail();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _directory.Dispose();
        Assert.Empty(HostProcesses.FindByCommandLine(Name));
    }
}
