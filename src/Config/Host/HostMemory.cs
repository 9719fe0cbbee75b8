namespace Sealpod.Config;

/// <summary>
/// The host's RAM, the ceiling for a guest's memory when <c>default_maxmemory</c> is 0 or larger (Kata's rule). A
/// confidential guest's memory is pinned, so an annotation above it would take the host's memory away from everything
/// else. Read from <c>/proc/meminfo</c>; tests inject the text.
/// </summary>
public sealed class HostMemory
{
    private const string MemInfoPath = "/proc/meminfo";

    private readonly Func<string> _readMemInfo;

    /// <param name="readMemInfo">Returns the text of <c>/proc/meminfo</c> (or a stand-in with a <c>MemTotal:</c> line).</param>
    public HostMemory(Func<string> readMemInfo)
    {
        ArgumentNullException.ThrowIfNull(readMemInfo);
        _readMemInfo = readMemInfo;
    }

    /// <summary>This host's <c>/proc/meminfo</c>, read each time it is asked (memory can be hot-plugged).</summary>
    public static HostMemory Proc { get; } = new(() => File.ReadAllText(MemInfoPath));

    /// <summary>A host with exactly <paramref name="mib"/> MiB, for tests and callers that already know.</summary>
    public static HostMemory Fixed(long mib) => new(() => $"MemTotal: {mib * 1024} kB\n");

    /// <summary>MemTotal in MiB (rounded down).</summary>
    /// <exception cref="InvalidOperationException">The text cannot be read or has no well-formed <c>MemTotal:</c> line.</exception>
    public long TotalMiB()
    {
        string text;
        try
        {
            text = _readMemInfo();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"cannot read the host's memory size from {MemInfoPath}: {e.Message}", e);
        }

        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line["MemTotal:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is [var number, "kB"] && long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var kib) && kib > 0)
            {
                return kib / 1024;
            }

            break;
        }

        throw new InvalidOperationException($"cannot read the host's memory size: no \"MemTotal: N kB\" line in {MemInfoPath}");
    }

    /// <summary>Kata's maximum guest memory: <c>default_maxmemory</c> when set and within the host, else the host's RAM.</summary>
    public long MaxGuestMemoryMiB(long defaultMaxMemoryMiB)
    {
        return HostLimit.Cap(defaultMaxMemoryMiB, TotalMiB());
    }
}
