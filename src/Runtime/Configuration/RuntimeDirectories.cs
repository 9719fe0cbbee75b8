namespace Sealpod.Runtime.Configuration;

/// <summary>
/// Where the runtime keeps things on the host. Per sandbox, <c>RunRoot/sandboxes/&lt;id&gt;/</c> holds the VM's
/// files (the hypervisor driver's: <c>qmp.sock</c>, <c>agent.sock</c>, <c>console.log</c>, <c>qemu.log</c>,
/// <c>qemu.pid</c>); it lives on tmpfs and goes with the sandbox. <c>StateRoot</c> survives reboots: the rootfs
/// image cache and the accelerator verdicts.
/// </summary>
public sealed record RuntimeDirectories
{
    public const string RunRootVariable = "SEALPOD_RUN_DIR";
    public const string StateRootVariable = "SEALPOD_STATE_DIR";

    public string RunRoot { get; init; } = "/run/sealpod";

    public string StateRoot { get; init; } = "/var/lib/sealpod";

    /// <summary>Erofs images of container root filesystems, keyed by tree digest.</summary>
    public string RootfsCache => Path.Combine(StateRoot, "rootfs-cache");

    public string SandboxDirectory(string sandboxId) => Path.Combine(RunRoot, "sandboxes", sandboxId);

    /// <summary>The defaults, overridden by <c>SEALPOD_RUN_DIR</c> / <c>SEALPOD_STATE_DIR</c> (private test instances use them).</summary>
    public static RuntimeDirectories FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var directories = new RuntimeDirectories();
        if (getVariable(RunRootVariable) is { Length: > 0 } run)
        {
            directories = directories with { RunRoot = RequireAbsolute(run, RunRootVariable) };
        }

        if (getVariable(StateRootVariable) is { Length: > 0 } state)
        {
            directories = directories with { StateRoot = RequireAbsolute(state, StateRootVariable) };
        }

        return directories;
    }

    private static string RequireAbsolute(string path, string variable) =>
        Path.IsPathFullyQualified(path) ? Path.TrimEndingDirectorySeparator(path) : throw new ArgumentException($"${variable} must be an absolute path, found '{path}'");
}
