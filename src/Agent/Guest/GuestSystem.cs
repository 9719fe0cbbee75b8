namespace Sealpod.Agent.Guest;

/// <summary>
/// Guest-wide settings the host may ask for: hostname, DNS, clock, kernel modules, CPU and memory
/// hot-plug. They act only when the agent manages the machine (PID 1 of the guest); elsewhere (the
/// tests, on a developer's host) they are logged and skipped so the host is never changed.
/// </summary>
internal sealed class GuestSystem(AgentOptions options, CommandRunner runner, ILogger log)
{
    // MODULE_NAME_LEN (64 - sizeof(unsigned long)) less the terminating NUL.
    private const int MaxModuleNameLength = 55;

    private static readonly string[] ModprobePaths = ["/sbin/modprobe", "/usr/sbin/modprobe", "/bin/modprobe"];

    public bool Manages => options.ManageGuest;

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

    /// <summary>
    /// Loads a kernel module the host asked for (CreateSandbox's kernel_modules) with modprobe. The name and every
    /// parameter are checked first (<see cref="ModprobeArguments"/>), so nothing the host sends becomes a modprobe
    /// option.
    /// </summary>
    public async Task LoadKernelModuleAsync(string name, IReadOnlyList<string> parameters, CancellationToken cancellationToken)
    {
        var arguments = ModprobeArguments(name, parameters);
        if (Skip($"load kernel module {name}"))
        {
            return;
        }

        var modprobe = ModprobePaths.FirstOrDefault(File.Exists)
            ?? throw new FailedPreconditionException($"cannot load kernel module {name}: the guest has no modprobe");
        var result = await runner.RunAsync(new SpawnRequest(modprobe, arguments), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"modprobe {name} failed ({result.Status}): {result.StandardError.Trim()}");
        }
    }

    /// <summary>
    /// modprobe's arguments: <c>-- NAME PARAM...</c>. A name is what the kernel accepts as one (letters, digits, '_'
    /// and '-', not starting with '-', at most 55 characters); a parameter is <c>key</c> or <c>key=value</c> with a
    /// key of the same characters and a value of printable ASCII without spaces or quotes (modprobe hands the kernel
    /// one space-separated string, so a space or quote would add a parameter of the host's choosing). The "--" ends
    /// modprobe's options, whatever its getopt does with arguments that start with '-'.
    /// </summary>
    /// <exception cref="InvalidArgumentException">The name or a parameter is not of that form; the message names it.</exception>
    public static IReadOnlyList<string> ModprobeArguments(string name, IReadOnlyList<string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!IsModuleIdentifier(name, MaxModuleNameLength))
        {
            throw new InvalidArgumentException(
                $"kernel module name '{name}' is invalid (letters, digits, '_' and '-', not starting with '-', at most {MaxModuleNameLength} characters)");
        }

        foreach (var parameter in parameters)
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? parameter : parameter[..equals];
            var value = equals < 0 ? "" : parameter[(equals + 1)..];
            if (!IsModuleIdentifier(key, MaxModuleNameLength) || value.Any(c => c is <= ' ' or > '~' or '"' or '\''))
            {
                throw new InvalidArgumentException(
                    $"kernel module {name}: parameter '{parameter}' is invalid (key or key=value; the key of letters, digits, '_' and '-', the value printable ASCII without spaces or quotes)");
            }
        }

        return ["--", name, .. parameters];
    }

    private static bool IsModuleIdentifier(string? text, int maxLength) =>
        !string.IsNullOrEmpty(text)
        && text.Length <= maxLength
        && text[0] != '-'
        && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

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
        var file = Path.Combine(options.SysfsRoot, "devices", "system", "memory", "block_size_bytes");
        return File.Exists(file)
            && ulong.TryParse(File.ReadAllText(file).Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size)
            ? size
            : 0;
    }

    public bool SupportsMemoryHotplugProbe() =>
        File.Exists(Path.Combine(options.SysfsRoot, "devices", "system", "memory", "probe"));

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
            var online = OnlineAll(Path.Combine(options.SysfsRoot, "devices", "system", "cpu"), "cpu", "1");
            if (!cpuOnly)
            {
                OnlineAll(Path.Combine(options.SysfsRoot, "devices", "system", "memory"), "memory", "online");
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
        if (options.ManageGuest)
        {
            return false;
        }

        log.LogInformation("not managing the guest: did not {What}", what);
        return true;
    }
}
