namespace Sealpod.HostCheck.Probing;

/// <summary>
/// Everything the checks learn about the host goes through this one seam: files under procfs, sysfs and /dev,
/// CPUID, the KVM and SEV ioctls and the few commands run (QEMU's help). Paths are host paths ("/proc/cpuinfo");
/// an implementation may serve them from another root, which is how tests run the checks against fixture trees.
/// </summary>
public interface IHostProbe
{
    /// <summary>The directory that stands for the host's <c>/</c> ("/" on a live host); the TEE planner reads below it.</summary>
    string Root { get; }

    /// <summary>Reads a whole text file (procfs and sysfs files included).</summary>
    FileReadResult ReadFile(string path);

    /// <summary>True when the path names an existing file, directory or device node.</summary>
    bool Exists(string path);

    /// <summary>True when the file exists and can be opened for reading by this process.</summary>
    bool IsReadable(string path);

    /// <summary>True when the path is a regular file with an execute bit set.</summary>
    bool IsExecutable(string path);

    /// <summary>Names (not paths) of a directory's entries; empty when the directory is absent or unreadable.</summary>
    IReadOnlyList<string> ListDirectory(string path);

    /// <summary>The target of a symbolic link, or null when the path is not a readable link.</summary>
    string? ReadLink(string path);

    /// <summary>Executes CPUID; null when the CPU has no CPUID instruction (not x86) or the leaf is above the maximum.</summary>
    CpuIdResult? CpuId(uint leaf, uint subleaf);

    /// <summary>Opens /dev/kvm, checks KVM_GET_API_VERSION and creates (then closes) a VM file descriptor.</summary>
    KvmProbeResult OpenKvmAndCreateVm();

    /// <summary>Issues SEV_PLATFORM_STATUS through SEV_ISSUE_CMD on /dev/sev.</summary>
    SevStatusResult SevPlatformStatus();

    /// <summary>Runs a program (a host path or a name looked up on PATH) and collects its output.</summary>
    Task<CommandResult> RunCommandAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default);
}
