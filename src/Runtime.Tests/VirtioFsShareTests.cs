using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;

namespace Sealpod.Runtime.Tests;

/// <summary>
/// The virtio-fs shared directory with real bind mounts on this host: what is bound under mounts/ shows in shared/,
/// and in a mount namespace copied before the bind (as virtiofsd's is), read-only stays read-only there, and
/// removing a container or disposing the share leaves no mount and no directory.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Root)]
public sealed class VirtioFsShareTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new("sealpod-vfs-");

    public VirtioFsShareTests()
    {
        Directory.CreateDirectory(_temp.Combine("host", "rw"));
        Directory.CreateDirectory(_temp.Combine("host", "ro"));
        File.WriteAllText(_temp.Combine("host", "rw", "hello"), "from the host\n");
        File.WriteAllText(_temp.Combine("host", "ro", "keep"), "read only\n");
        File.WriteAllText(_temp.Combine("host", "config"), "a file\n");
    }

    private string Root => _temp.Combine("fs");

    private string Host(string name) => _temp.Combine("host", name);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var line in MountPointsUnder(_temp.Path).Reverse())
        {
            await TestMounts.TryUnmountAsync(line);
        }

        _temp.Dispose();
    }

    [Fact]
    public async Task Binds_show_in_the_shared_directory_and_in_a_namespace_copied_before_them()
    {
        Assert.True(TestMounts.CanMount, "these tests mount and need root");
        using var share = VirtioFsShare.Create(Root);

        // Stands in for virtiofsd: a mount namespace copied from the host before any bind exists, made a slave.
        using var observer = Process.Start(new ProcessStartInfo("unshare", ["--mount", "--propagation", "slave", "sleep", "120"]) { UseShellExecute = false })!;
        try
        {
            WaitForOwnMountNamespace(observer.Id);
            share.Add("c1", new SharedBind(Host("rw"), VirtioFsShare.GuestMountPoint + "/c1-0-rw", ReadOnly: false, Recursive: false));
            share.Add("c1", new SharedBind(Host("ro"), VirtioFsShare.GuestMountPoint + "/c1-1-ro", ReadOnly: true, Recursive: true));
            share.Add("c1", new SharedBind(Host("config"), VirtioFsShare.GuestMountPoint + "/c1-2-config", ReadOnly: true, Recursive: false));

            var shared = share.SharedDirectory;
            Assert.Equal("from the host\n", File.ReadAllText(Path.Combine(shared, "c1-0-rw", "hello")));
            Assert.Equal("a file\n", File.ReadAllText(Path.Combine(shared, "c1-2-config")));

            // Read-write reaches the host; read-only refuses, in the shared view and in the copied namespace.
            File.WriteAllText(Path.Combine(shared, "c1-0-rw", "from-share"), "x");
            Assert.True(File.Exists(Path.Combine(Host("rw"), "from-share")));
            AssertWriteRefused(Path.Combine(shared, "c1-1-ro", "nope"));
            AssertWriteRefused(Path.Combine(shared, "new-entry"));

            var inside = await NsenterAsync(observer.Id, $"cat {shared}/c1-0-rw/hello && echo in-ns > {shared}/c1-0-rw/from-ns && cat {shared}/c1-2-config && (echo x > {shared}/c1-1-ro/nope 2>/dev/null && echo WROTE || echo REFUSED)");
            Assert.Equal("from the host\na file\nREFUSED\n", inside);
            Assert.Equal("in-ns\n", File.ReadAllText(Path.Combine(Host("rw"), "from-ns")));
            Assert.False(File.Exists(Path.Combine(Host("ro"), "nope")));

            // Removing the container unbinds it everywhere, the copied namespace included.
            share.RemoveContainer("c1");
            Assert.Empty(Directory.EnumerateFileSystemEntries(shared));
            Assert.Equal(string.Empty, await NsenterAsync(observer.Id, $"ls -A {shared}"));
            Assert.Equal(["from-ns", "from-share", "hello"], Directory.EnumerateFiles(Host("rw")).Select(Path.GetFileName).Order());
        }
        finally
        {
            observer.Kill();
            observer.WaitForExit();
        }
    }

    [Fact]
    [Trait("Category", "Root")]
    public void A_read_only_recursive_bind_is_read_only_in_its_submounts_too()
    {
        Assert.True(TestMounts.CanMount, "these tests mount and need root");
        var submount = Directory.CreateDirectory(Path.Combine(Host("ro"), "sub")).FullName;
        Assert.Equal(0, Sealpod.Linux.Native.LibC.Mount("tmpfs", submount, "tmpfs", 0, null));
        using var share = VirtioFsShare.Create(Root);

        share.Add("c1", new SharedBind(Host("ro"), VirtioFsShare.GuestMountPoint + "/c1-0-ro", ReadOnly: true, Recursive: true));

        var shared = Path.Combine(share.SharedDirectory, "c1-0-ro");
        AssertWriteRefused(Path.Combine(shared, "top"));
        AssertWriteRefused(Path.Combine(shared, "sub", "below"));

        // Only the share's copy is read-only: the host's own submount is as it was.
        File.WriteAllText(Path.Combine(submount, "host-writes"), "x");
        Assert.True(File.Exists(Path.Combine(shared, "sub", "host-writes")));
    }

    [Fact]
    public void Dispose_unmounts_everything_and_removes_the_directory()
    {
        var share = VirtioFsShare.Create(Root);
        share.Add("c1", new SharedBind(Host("rw"), VirtioFsShare.GuestMountPoint + "/c1-0-rw", false, false));
        share.Add("c2", new SharedBind(Host("config"), VirtioFsShare.GuestMountPoint + "/c2-0-config", true, false));
        Assert.NotEmpty(MountPointsUnder(Root));

        share.Dispose();
        share.Dispose();

        Assert.Empty(MountPointsUnder(Root));
        Assert.False(Directory.Exists(Root));
        Assert.Equal("a file\n", File.ReadAllText(Host("config")));
    }

    [Fact]
    public void A_link_at_the_source_is_followed_as_mount_would_and_a_missing_source_fails_cleanly()
    {
        using var share = VirtioFsShare.Create(Root);
        File.CreateSymbolicLink(_temp.Combine("link"), Host("rw"));
        share.Add("c1", new SharedBind(_temp.Combine("link"), VirtioFsShare.GuestMountPoint + "/c1-0-link", false, false));
        Assert.Equal("from the host\n", File.ReadAllText(Path.Combine(share.SharedDirectory, "c1-0-link", "hello")));

        var error = Assert.Throws<InvalidArgumentException>(() =>
            share.Add("c1", new SharedBind(_temp.Combine("missing"), VirtioFsShare.GuestMountPoint + "/c1-1-missing", false, false)));
        Assert.Contains("the host path cannot be opened", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(share.SharedDirectory, "c1-1-missing")));

        // A name already shared is refused instead of stacking a second mount on it.
        Assert.Throws<InvalidArgumentException>(() => share.Add("c2", new SharedBind(Host("ro"), VirtioFsShare.GuestMountPoint + "/c1-0-link", true, false)));
    }

    [Fact]
    public void The_guest_storage_is_kata_s()
    {
        var storage = VirtioFsShare.GuestStorage();
        Assert.Equal(("virtio-fs", "kataShared", "virtiofs", "/run/kata-containers/shared/containers"), (storage.Driver, storage.Source, storage.FsType, storage.MountPoint));
    }

    private static string[] MountPointsUnder(string directory) =>
        File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4]).Where(p => p.StartsWith(directory, StringComparison.Ordinal)).ToArray();

    // EROFS surfaces as UnauthorizedAccessException or IOException depending on the call; either way nothing is written.
    private static void AssertWriteRefused(string path)
    {
        var error = Record.Exception(() => File.WriteAllText(path, "x"));
        Assert.True(error is IOException or UnauthorizedAccessException, $"writing {path}: {error?.GetType().Name ?? "succeeded"}");
        Assert.False(File.Exists(path));
    }

    private static async Task<string> NsenterAsync(int pid, string script) =>
        (await Cli.Wrap("nsenter")
            .WithArguments(["-t", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "-m", "--", "sh", "-c", script])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync()).StandardOutput;

    // unshare execs sleep once the namespace is set up; until then the pid shares ours.
    private static void WaitForOwnMountNamespace(int pid)
    {
        var ours = new FileInfo("/proc/self/ns/mnt").LinkTarget;
        for (var i = 0; i < 500; i++)
        {
            if (new FileInfo($"/proc/{pid}/ns/mnt").LinkTarget != ours && File.ReadAllText($"/proc/{pid}/comm").Trim() == "sleep")
            {
                return;
            }

            Thread.Sleep(10);
        }

        throw new TimeoutException("unshare did not set up its mount namespace");
    }
}
