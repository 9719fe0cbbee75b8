using Sealpod.Agent.Cgroups;
using Sealpod.Agent.Containers;

namespace Sealpod.Agent.Tests.Infrastructure;

/// <summary>
/// One agent (sandbox, runtime, storage) per test collection, on the real runc, with every state
/// directory in a private temporary folder and a private cgroup parent. Disposing removes every
/// container left, the cgroup parents runc created and the folder.
/// </summary>
public sealed class AgentFixture : IAsyncLifetime
{
    public const string Runc = "/usr/sbin/runc";

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
            CgroupParent = "sealpod-test-" + Path.GetFileName(Root)[^12..],
            RuntimeBinary = Runc,
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

        RemoveCgroupParents();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private void RemoveCgroupParents()
    {
        var layout = CgroupLayout.Detect(Options.CgroupMountPoint);
        foreach (var controller in new[] { "", "memory", "cpu", "cpuacct", "pids", "freezer", "devices", "blkio", "cpuset", "hugetlb", "net_cls", "net_prio", "perf_event", "rdma", "misc", "name=systemd" })
        {
            var directory = layout.Directory("/" + Options.CgroupParent, controller);
            if (directory is not null && Directory.Exists(directory))
            {
                foreach (var child in Directory.EnumerateDirectories(directory))
                {
                    TryRemove(child);
                }

                TryRemove(directory);
            }
        }
    }

    private static void TryRemove(string directory)
    {
        try
        {
            Directory.Delete(directory);
        }
        catch (IOException)
        {
            // A cgroup still in use (should not happen once every container is removed).
        }
    }
}
