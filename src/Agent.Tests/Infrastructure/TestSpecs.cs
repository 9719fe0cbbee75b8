namespace Sealpod.Agent.Tests.Infrastructure;

/// <summary>Specs for test containers: busybox commands with the spec fields the tests need.</summary>
internal static class TestSpecs
{
    public static OciSpec Container(string rootfs, params string[] args) => new()
    {
        OciVersion = "1.0.2",
        Process = Process(args),
        Root = new OciRoot { Path = rootfs },
        Hostname = "sealpod-test",
        Linux = new OciLinux { Namespaces = [] },
    };

    public static OciProcess Process(params string[] args) => new()
    {
        Args = args,
        Env = ["PATH=/bin", "HOME=/root"],
        Cwd = "/",
        User = new OciUser { Uid = 0, Gid = 0 },
    };

    /// <summary>A unique id so that tests never collide with leftovers.</summary>
    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];
}
