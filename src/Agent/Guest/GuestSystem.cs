using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Sealpod.Agent.Errors;
using Sealpod.Agent.Processes;
using Sealpod.Linux.Native;

namespace Sealpod.Agent.Guest;

/// <summary>
/// Guest-wide settings the host may ask for: hostname, DNS, clock, kernel modules, CPU and memory
/// hot-plug. They act only when the agent manages the machine (PID 1 of the guest); elsewhere (the
/// tests, on a developer's host) they are logged and skipped so the host is never changed.
/// </summary>
internal sealed class GuestSystem
{
    private static readonly string[] ModprobePaths = ["/sbin/modprobe", "/usr/sbin/modprobe", "/bin/modprobe"];

    private readonly AgentOptions _options;
    private readonly CommandRunner _runner;
    private readonly ILogger _log;

    public GuestSystem(AgentOptions options, CommandRunner runner, ILogger log)
    {
        _options = options;
        _runner = runner;
        _log = log;
    }

    public bool Manages => _options.ManageGuest;

    public unsafe void SetHostname(string hostname)
    {
        if (hostname.Length > 64 || hostname.Any(c => c is '\0' or '/' or ' '))
        {
            throw new InvalidArgumentException($"hostname '{hostname}' is invalid (at most 64 characters, no spaces or '/')");
        }

        if (!Skip("set the hostname"))
        {
            var bytes = Encoding.UTF8.GetBytes(hostname);
            fixed (byte* pointer = bytes)
            {
                SystemCallException.ThrowIfFailed(LibC.SetHostName(pointer, (nuint)bytes.Length), "sethostname", hostname);
            }
        }
    }

    /// <summary>Writes /etc/resolv.conf from the resolv.conf lines the host sent.</summary>
    public void WriteResolvConf(IReadOnlyList<string> lines)
    {
        if (lines.Any(line => line.Contains('\n', StringComparison.Ordinal)))
        {
            throw new InvalidArgumentException("dns entries must be single resolv.conf lines");
        }

        if (!Skip("write /etc/resolv.conf"))
        {
            Directory.CreateDirectory("/etc");
            File.WriteAllText("/etc/resolv.conf", string.Join('\n', lines) + "\n");
        }
    }

    public async Task LoadKernelModuleAsync(string name, IReadOnlyList<string> parameters, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(name) || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
        {
            throw new InvalidArgumentException($"kernel module name '{name}' is invalid");
        }

        if (Skip($"load kernel module {name}"))
        {
            return;
        }

        var modprobe = ModprobePaths.FirstOrDefault(File.Exists)
            ?? throw new FailedPreconditionException($"cannot load kernel module {name}: the guest has no modprobe");
        var result = await _runner.RunAsync(new SpawnRequest(modprobe, [name, .. parameters]), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"modprobe {name} failed ({result.Status}): {result.StandardError.Trim()}");
        }
    }

    /// <summary>Sets the realtime clock (SetGuestDateTime: seconds and microseconds since the epoch).</summary>
    public unsafe void SetClock(long seconds, long microseconds)
    {
        if (seconds < 0 || microseconds is < 0 or >= 1_000_000)
        {
            throw new InvalidArgumentException($"time {seconds} s + {microseconds} us is invalid (usec must be 0-999999, sec non-negative)");
        }

        if (!Skip("set the clock"))
        {
            var time = new LibC.TimeSpec { Seconds = seconds, Nanoseconds = microseconds * 1000 };
            SystemCallException.ThrowIfFailed(LibC.ClockSetTime(LibC.CLOCK_REALTIME, &time), "clock_settime");
        }
    }

    /// <summary>The memory hot-plug block size, or 0 when the guest has no memory hot-plug.</summary>
    public ulong MemoryBlockSize()
    {
        var file = Path.Combine(_options.SysfsRoot, "devices", "system", "memory", "block_size_bytes");
        return File.Exists(file)
            && ulong.TryParse(File.ReadAllText(file).Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size)
            ? size
            : 0;
    }

    public bool SupportsMemoryHotplugProbe() =>
        File.Exists(Path.Combine(_options.SysfsRoot, "devices", "system", "memory", "probe"));

    /// <summary>
    /// Brings hot-plugged CPUs (and, unless <paramref name="cpuOnly"/>, memory blocks) online. With
    /// <paramref name="expectedCpus"/> set it fails unless that many CPUs end up online.
    /// </summary>
    public async Task OnlineCpuMemoryAsync(uint expectedCpus, bool cpuOnly, bool wait, CancellationToken cancellationToken)
    {
        if (Skip("bring CPUs and memory online"))
        {
            return;
        }

        var attempts = wait ? 50 : 1;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var online = OnlineAll(Path.Combine(_options.SysfsRoot, "devices", "system", "cpu"), "cpu", "1");
            if (!cpuOnly)
            {
                OnlineAll(Path.Combine(_options.SysfsRoot, "devices", "system", "memory"), "memory", "online");
            }

            if (expectedCpus == 0 || online >= expectedCpus)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }

        throw new FailedPreconditionException($"fewer than {expectedCpus} CPUs came online");
    }

    /// <summary>Writes <paramref name="value"/> to every offline &lt;prefix&gt;N/online|state; returns how many are online.</summary>
    private static uint OnlineAll(string directory, string prefix, string value)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        uint online = 0;
        foreach (var entry in Directory.EnumerateDirectories(directory, prefix + "*"))
        {
            if (!entry[(directory.Length + 1 + prefix.Length)..].All(char.IsAsciiDigit))
            {
                continue;
            }

            var file = Path.Combine(entry, prefix == "cpu" ? "online" : "state");
            if (!File.Exists(file))
            {
                online++; // cpu0 usually cannot go offline and has no "online" file.
                continue;
            }

            var current = File.ReadAllText(file).Trim();
            if (current is "1" or "online")
            {
                online++;
                continue;
            }

            try
            {
                File.WriteAllText(file, value);
                online++;
            }
            catch (IOException)
            {
                // The kernel refused (not ready yet): a later attempt retries.
            }
        }

        return online;
    }

    private bool Skip(string what)
    {
        if (_options.ManageGuest)
        {
            return false;
        }

        _log.LogInformation("not managing the guest: did not {What}", what);
        return true;
    }
}
