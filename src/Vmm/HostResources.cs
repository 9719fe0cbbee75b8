using System.Globalization;

namespace Sealpod.Vmm;

/// <summary>
/// The host's CPU count and memory, which Kata's "0 means all of the host" settings resolve
/// against (<c>default_maxvcpus</c>, <c>default_maxmemory</c>). A value, so tests and golden
/// fixtures do not depend on the machine they run on.
/// </summary>
/// <param name="Cpus">Online CPUs usable by this process.</param>
/// <param name="MemoryMiB">Total RAM in MiB.</param>
public sealed record HostResources(int Cpus, long MemoryMiB)
{
    /// <summary>Reads the running host: CPUs from the runtime, memory from /proc/meminfo.</summary>
    public static HostResources Detect(string meminfoPath = "/proc/meminfo")
    {
        long memoryMiB = 0;
        try
        {
            foreach (var line in File.ReadLines(meminfoPath))
            {
                // "MemTotal:       24598820 kB"
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
                    {
                        memoryMiB = kib / 1024;
                    }

                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        if (memoryMiB <= 0)
        {
            memoryMiB = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024);
        }

        return new HostResources(Environment.ProcessorCount, memoryMiB);
    }
}
