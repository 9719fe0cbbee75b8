namespace Sealpod.Vmm.Qemu;

/// <summary>
/// Boots the guest kernel without a root file system or initrd: a kernel that runs reaches
/// "VFS: Unable to mount root fs", panics, and with <c>panic=-1</c> and <c>-no-reboot</c> QEMU
/// exits by itself, in about a second under KVM. A vCPU that does not really run (stock kernel
/// under PVM) produces no console output at all and the test times out. No disk image needed.
/// </summary>
public sealed partial class QemuBootTest : IGuestBootTest
{
    private const string PanicMarker = "Kernel panic";
    private const string BannerMarker = "Linux version";

    private readonly string _qemuPath;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;

    /// <summary>Creates a boot test using <paramref name="qemuPath"/>, giving the kernel <paramref name="timeout"/> to panic.</summary>
    public QemuBootTest(string qemuPath, TimeSpan timeout, ILogger<QemuBootTest>? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(qemuPath);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _qemuPath = qemuPath;
        _timeout = timeout;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public string Identity
    {
        get
        {
            var binary = new FileInfo(_qemuPath);
            return binary.Exists
                ? $"{binary.FullName}@{binary.Length.ToString(CultureInfo.InvariantCulture)}/{binary.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)}"
                : _qemuPath + "@missing";
        }
    }

    /// <summary>The command line of a test boot (exposed for the golden fixture).</summary>
    public static QemuCommandLine CommandLine(Accelerator accelerator, string kernelPath, string consoleLogPath) =>
        new QemuCommandLine
        {
            Name = new VmName("sealpod-boot-test") { DebugThreads = false },
            Machine = new Q35Machine { Accelerator = accelerator },
            Cpu = new Cpu(accelerator == Accelerator.Kvm ? CpuModel.Host : CpuModel.Max),
            Smp = new Smp(1),
            Memory = new Memory(256),
            Kernel = new Kernel(kernelPath),
            Append = new KernelAppend(["console=ttyS0", "panic=-1", "root=/dev/sealpod-boot-test-no-root"]),
        }
        .Add(new ChardevFile("console", consoleLogPath))
        .Add(new SerialPort("console"));

    /// <inheritdoc />
    public async Task<GuestBootTestResult> RunAsync(Accelerator accelerator, string kernelPath, string workDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(kernelPath);
        ArgumentException.ThrowIfNullOrEmpty(workDirectory);
        var directory = Path.Combine(workDirectory, "boot-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        try
        {
            var console = Path.Combine(directory, "console.log");
            var args = CommandLine(accelerator, kernelPath, console).Build();
            LogStarting(_logger, accelerator, kernelPath, _timeout.TotalSeconds);
            var process = VmProcess.Start("QEMU", _qemuPath, args, directory, Path.Combine(directory, "qemu.log"), _logger);
            await using (process.ConfigureAwait(false))
            {
                int? exitCode = null;
                try
                {
                    exitCode = await process.Exited.WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                }

                var output = VmProcess.ReadTail(console, 64 * 1024);
                var result = Judge(exitCode, output, process.ReadLogTail(1024));
                LogFinished(_logger, accelerator, result.Booted, result.Detail);
                return result;
            }
        }
        finally
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private GuestBootTestResult Judge(int? exitCode, string console, string stderr)
    {
        var seconds = _timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        if (exitCode is null)
        {
            return new GuestBootTestResult(false, console.Contains(BannerMarker, StringComparison.Ordinal)
                ? $"the kernel started but did not reach its root mount within {seconds} s"
                : $"no kernel output within {seconds} s: the vCPU does not run the kernel");
        }

        if (console.Contains(PanicMarker, StringComparison.Ordinal))
        {
            return new GuestBootTestResult(true, "the kernel ran to its root mount");
        }

        return new GuestBootTestResult(false, $"QEMU exited with code {exitCode} before the kernel got far: {stderr.Trim()}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "boot test: booting {Kernel} under {Accelerator} (up to {Seconds} s)")]
    private static partial void LogStarting(ILogger logger, Accelerator accelerator, string kernel, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "boot test under {Accelerator}: booted={Booted}, {Detail}")]
    private static partial void LogFinished(ILogger logger, Accelerator accelerator, bool booted, string detail);
}
