namespace Sealpod.Agent.Tests.Infrastructure;

/// <summary>
/// One agent (sandbox, runtime, storage) per test collection, on the real runc, with every state
/// directory in a private temporary folder and a private cgroup parent. Disposing removes every
/// container left, the cgroup parents runc created and the folder.
/// </summary>
public sealed class AgentFixture : IAsyncLifetime
{
    public const string Runc = "/usr/sbin/runc";

    /// <summary>The runtime the tests drive: runc, or SEALPOD_TEST_RUNTIME (e.g. /usr/bin/crun, the guest's).</summary>
    public static string Runtime { get; } = Environment.GetEnvironmentVariable("SEALPOD_TEST_RUNTIME") is { Length: > 0 } runtime ? runtime : Runc;

    private AgentHost? _host;

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "sealpod-agent-tests-" + Guid.NewGuid().ToString("N")[..12]);

    public string RootfsPath => Path.Combine(Root, "rootfs");

    internal AgentOptions Options { get; private set; } = null!;

    internal AgentHost Host => _host ?? throw new InvalidOperationException("The fixture is not initialised.");

    internal Sandbox Sandbox => Host.Sandbox;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        await BusyboxRootfs.CreateAsync(RootfsPath);
        Options = new AgentOptions
        {
            ContainersRoot = Path.Combine(Root, "containers"),
            RuntimeStateRoot = Path.Combine(Root, "runc"),
            StorageRoot = Path.Combine(Root, "storage"),
            CopyFileRoot = Path.Combine(Root, "run"),
            SharedFilesRoot = Path.Combine(Root, "run", "sealpod", "shared"),
            CgroupParent = "sealpod-test-" + Path.GetFileName(Root)[^12..],
            RuntimeBinary = Runtime,
            ManageGuest = false,
        };
        Directory.CreateDirectory(Options.CopyFileRoot);
        _host = AgentHost.Create(Options, new AgentLog(TextWriter.Null), TestProcess.Poller, TestProcess.Reaper);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        CgroupCleanup.RemoveParent(Options.CgroupMountPoint, Options.CgroupParent);
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
