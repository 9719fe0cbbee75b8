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
        long memoryMiB;
        try
        {
            memoryMiB = new HostMemory(() => File.ReadAllText(meminfoPath)).TotalMiB();
        }
        catch (InvalidOperationException)
        {
            memoryMiB = 0;
        }

        if (memoryMiB <= 0)
        {
            memoryMiB = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024);
        }

        return new HostResources(Environment.ProcessorCount, memoryMiB);
    }
}
