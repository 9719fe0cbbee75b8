using System.Diagnostics;
using System.Globalization;
using CliWrap;
using CliWrap.Buffered;
using Sealpod.Linux.Native;
using Sealpod.Protos.Containerd.Runtime.Bootstrap.V1;
using Sealpod.Protos.Containerd.Task.V2;
using Sealpod.Protos.Containerd.Types;

namespace Sealpod.Shim.Tests;

/// <summary>
/// The real binary run the way containerd runs it: <c>start</c> (with a containerd 2.3 socket_dir, so the
/// socket stays in the test's directory), the daemon it leaves behind, <c>delete</c>, <c>-v</c>, <c>-info</c>.
/// </summary>
public sealed class ShimBinaryTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly List<int> _daemons = [];

    public void Dispose()
    {
        foreach (int pid in _daemons)
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
            }
        }

        foreach (var mount in Directory.EnumerateDirectories(_directory.Path, "rootfs", SearchOption.AllDirectories))
        {
            Runtime.Rootfs.RootfsMounter.UnmountAll(mount);
        }

        _directory.Dispose();
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Root)]
    public async Task Start_prints_only_the_address_and_leaves_a_server_that_shutdown_stops()
    {
        string bundle = Bundle("demo", "{}");
        string log = Path.Combine(bundle, "log");
        Assert.Equal(0, LibC.MkFifo(log, 0x1C0));
        using var logReader = new FileStream(log, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 0);

        var (code, stdout, stderr) = await RunAsync(bundle, ["-namespace", "default", "-address", "/run/test/containerd.sock", "-publish-binary", "/usr/bin/containerd", "-id", "demo", "start"], Bootstrap("demo"));

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        Assert.Matches("^unix://" + _directory.File("s") + "/[0-9a-f]{64}$", stdout);
        Assert.Equal(stdout, File.ReadAllText(Path.Combine(bundle, "address")));
        int daemon = int.Parse(File.ReadAllText(Path.Combine(bundle, "shim.pid")), CultureInfo.InvariantCulture);
        _daemons.Add(daemon);
        string socket = stdout["unix://".Length..];

        await using (var client = await TtrpcClient.ConnectUnixAsync(socket))
        {
            var error = await Assert.ThrowsAsync<RpcException>(async () =>
                await client.CallAsync("containerd.task.v2.Task", "State", new StateRequest { Id = "demo" }, StateResponse.Parser));
            Assert.Equal(StatusCode.NotFound, error.StatusCode);
            await client.CallAsync("containerd.task.v3.Task", "Shutdown", new ShutdownRequest { Id = "demo" }, Empty.Parser);
        }

        await WaitForExitAsync(daemon);
        Assert.False(File.Exists(socket));
        var lines = ReadAvailable(logReader);
        Assert.Contains("level=info msg=\"serving the task API on " + socket, lines, StringComparison.Ordinal);
        Assert.Contains("id=demo", lines, StringComparison.Ordinal);
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Root)]
    public async Task A_pod_container_joins_the_running_shim_of_its_sandbox_without_starting_another()
    {
        string sandbox = Bundle("pod1", """{"io.kubernetes.cri.container-type": "sandbox"}""");
        string container = Bundle("app1", """{"io.kubernetes.cri.container-type": "container", "io.kubernetes.cri.sandbox-id": "pod1"}""");
        string[] flags = ["-namespace", "k8s.io", "-address", "/run/test/containerd.sock", "-id"];

        var first = await RunAsync(sandbox, [.. flags, "pod1", "start"], Bootstrap("pod1", "k8s.io"));
        _daemons.Add(int.Parse(File.ReadAllText(Path.Combine(sandbox, "shim.pid")), CultureInfo.InvariantCulture));
        var second = await RunAsync(container, [.. flags, "app1", "start"], Bootstrap("app1", "k8s.io"));

        Assert.Equal((0, 0), (first.Code, second.Code));
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.False(File.Exists(Path.Combine(container, "shim.pid")));
        Assert.Equal(first.Stdout, File.ReadAllText(Path.Combine(container, "address")));
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Root)]
    public async Task A_pod_container_whose_sandbox_shim_is_gone_fails_start_naming_the_sandbox()
    {
        string container = Bundle("app2", """{"io.kubernetes.cri.container-type": "container", "io.kubernetes.cri.sandbox-id": "pod2"}""");

        var (code, stdout, stderr) = await RunAsync(container, ["-namespace", "k8s.io", "-address", "/run/test/containerd.sock", "-id", "app2", "start"], Bootstrap("app2", "k8s.io"));

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains("the shim of sandbox pod2 is not running", stderr, StringComparison.Ordinal);
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Root)]
    public async Task Delete_kills_the_vm_unmounts_the_rootfs_removes_the_socket_and_reports_137()
    {
        var (run, sandboxDirectory, bundle) = LostSandbox();
        // A stand-in VM whose command line names the sandbox directory, as QEMU's does.
        using var vm = StandIn($"qemu-system-x86_64 -qmp {Path.Combine(sandboxDirectory, "qmp.sock")}");
        await File.WriteAllTextAsync(Path.Combine(sandboxDirectory, "qemu.pid"), vm.Id.ToString(CultureInfo.InvariantCulture));
        await File.WriteAllTextAsync(Path.Combine(sandboxDirectory, "console.log"), "guest output");
        string staleSocket = _directory.File("stale.sock");
        await File.WriteAllTextAsync(staleSocket, string.Empty);
        await File.WriteAllTextAsync(Path.Combine(bundle, "address"), "unix://" + staleSocket);
        Assert.Equal(0, LibC.Mount("tmpfs", Path.Combine(bundle, "rootfs"), "tmpfs", 0, null));

        var (code, stdout, stderr) = await DeleteAsync(bundle, run, "-address", "/a");

        Assert.True(code == 0, stderr);
        var response = Deleted(stdout);
        Assert.Equal(137u, response.ExitStatus);
        Assert.Equal((uint)vm.Id, response.Pid);
        Assert.InRange(response.ExitedAt.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        await vm.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(Directory.Exists(sandboxDirectory));
        Assert.False(File.Exists(staleSocket));
        Assert.False(Runtime.Rootfs.RootfsMounter.IsMountPoint(Path.Combine(bundle, "rootfs")));
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Root)]
    public async Task Delete_after_a_crash_detaches_the_shares_binds_and_never_empties_a_host_volume()
    {
        var (run, sandboxDirectory, bundle) = LostSandbox();
        string volume = _directory.File("volume");
        Directory.CreateDirectory(Path.Combine(volume, "deep"));
        await File.WriteAllTextAsync(Path.Combine(volume, "data.txt"), "tenant data");
        await File.WriteAllTextAsync(Path.Combine(volume, "deep", "more.txt"), "more");

        // What a SIGKILLed shim leaves: the share's read-write bind of a host volume, under mounts/ and its view in shared/.
        string mounts = Directory.CreateDirectory(Path.Combine(sandboxDirectory, "shared", "mounts", "demo-0-data")).FullName;
        string shared = Directory.CreateDirectory(Path.Combine(sandboxDirectory, "shared", "shared", "demo-0-data")).FullName;
        Assert.Equal(0, LibC.Mount(volume, mounts, null, LibC.MS_BIND, null));
        Assert.Equal(0, LibC.Mount(volume, shared, null, LibC.MS_BIND, null));
        try
        {
            var (code, _, stderr) = await DeleteAsync(bundle, run);

            Assert.True(code == 0, stderr);
            Assert.Equal("tenant data", await File.ReadAllTextAsync(Path.Combine(volume, "data.txt")));
            Assert.Equal("more", await File.ReadAllTextAsync(Path.Combine(volume, "deep", "more.txt")));
            Assert.False(Directory.Exists(sandboxDirectory));
            Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), line => line.Split(' ')[4].StartsWith(sandboxDirectory, StringComparison.Ordinal));
        }
        finally
        {
            LibC.Umount2(shared, LibC.MNT_DETACH);
            LibC.Umount2(mounts, LibC.MNT_DETACH);
        }
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Root)]
    public async Task Delete_kills_a_lost_cloud_hypervisor_through_its_driver_and_removes_the_sandbox()
    {
        var (run, sandboxDirectory, bundle) = LostSandbox();
        // cloud-hypervisor is not installed here (Debian 12 has no package), so this is a stand-in: a process whose
        // command line is the one the Cloud Hypervisor driver starts the VMM with, its pid in clh.pid as the driver
        // records it, next to the files the driver makes. Nothing of QEMU's is there.
        using var vmm = StandIn($"cloud-hypervisor --api-socket {Path.Combine(sandboxDirectory, "clh-api.sock")}");
        await File.WriteAllTextAsync(Path.Combine(sandboxDirectory, "clh.pid"), vmm.Id.ToString(CultureInfo.InvariantCulture));
        foreach (string file in (string[])["clh-api.sock", "kata.hvsock", "clh.log", "console.log"])
        {
            await File.WriteAllTextAsync(Path.Combine(sandboxDirectory, file), string.Empty);
        }

        var (code, stdout, stderr) = await DeleteAsync(bundle, run);

        Assert.True(code == 0, stderr);
        var response = Deleted(stdout);
        Assert.Equal(137u, response.ExitStatus);
        Assert.Equal((uint)vmm.Id, response.Pid);
        await vmm.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(Directory.Exists(sandboxDirectory));
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Root)]
    public async Task Delete_does_not_kill_a_process_that_only_reuses_the_recorded_pid()
    {
        var (run, sandboxDirectory, bundle) = LostSandbox();
        using var bystander = Process.Start(new ProcessStartInfo("sleep", ["600"]))!;
        await File.WriteAllTextAsync(Path.Combine(sandboxDirectory, "qemu.pid"), bystander.Id.ToString(CultureInfo.InvariantCulture));
        try
        {
            var (code, stdout, _) = await DeleteAsync(bundle, run);

            Assert.Equal(0, code);
            Assert.Equal(0u, Deleted(stdout).Pid);
            Assert.False(bystander.HasExited);
        }
        finally
        {
            bystander.Kill();
        }
    }

    [Fact]
    public async Task Version_and_info_describe_the_runtime()
    {
        var version = await RunAsync(_directory.Path, ["-v"], string.Empty);
        var info = await RunAsync(_directory.Path, ["-info"], string.Empty);

        Assert.Contains("io.containerd.sealpod.v2", version.Stdout, StringComparison.Ordinal);
        Assert.Equal("io.containerd.sealpod.v2", RuntimeInfo.Parser.ParseFrom(System.Text.Encoding.Latin1.GetBytes(info.Stdout)).Name);
    }

    [Fact]
    public async Task A_bad_command_line_exits_2_like_go_flag()
    {
        var (code, _, stderr) = await RunAsync(_directory.Path, ["-namespace"], string.Empty);

        Assert.Equal(2, code);
        Assert.Contains("flag needs an argument: -namespace", stderr, StringComparison.Ordinal);
    }

    private string Bundle(string id, string annotations)
    {
        string bundle = _directory.File(id);
        Directory.CreateDirectory(Path.Combine(bundle, "rootfs"));
        File.WriteAllText(Path.Combine(bundle, "config.json"), $$"""{"ociVersion":"1.0.2","process":{"args":["true"],"cwd":"/"},"root":{"path":"rootfs"},"annotations":{{annotations}}}""");
        return bundle;
    }

    /// <summary>What a lost shim of sandbox <c>demo</c> leaves to <c>delete</c>: its run directory, its sandbox directory there, its bundle.</summary>
    private (string Run, string SandboxDirectory, string Bundle) LostSandbox()
    {
        string run = _directory.File("run");
        string sandboxDirectory = Directory.CreateDirectory(Path.Combine(run, "sandboxes", "demo")).FullName;
        return (run, sandboxDirectory, Bundle("demo", "{}"));
    }

    /// <summary>A process standing in for a VMM: <c>sleep</c> under the command line <paramref name="commandLine"/>.</summary>
    private static Process StandIn(string commandLine) => Process.Start(new ProcessStartInfo("bash", ["-c", $"exec -a '{commandLine}' sleep 600"]))!;

    /// <summary>Runs <c>delete</c> for sandbox <c>demo</c> the way containerd does after a lost shim, with the run directory <paramref name="run"/>.</summary>
    private static Task<(int Code, string Stdout, string Stderr)> DeleteAsync(string bundle, string run, params string[] flags) =>
        RunAsync(bundle, ["-namespace", "default", .. flags, "-id", "demo", "-bundle", bundle, "delete"], string.Empty, new() { ["SEALPOD_RUN_DIR"] = run });

    private static DeleteResponse Deleted(string stdout) => DeleteResponse.Parser.ParseFrom(System.Text.Encoding.Latin1.GetBytes(stdout));

    private string Bootstrap(string id, string ns = "default") =>
        System.Text.Encoding.Latin1.GetString(new BootstrapParams
        {
            InstanceId = id,
            Namespace = ns,
            SocketDir = _directory.File("s"),
            ContainerdTtrpcAddress = _directory.File("no-containerd.ttrpc"),
        }.ToByteArray());

    /// <summary>Runs the shim like containerd: working directory the bundle, stdout and stderr read to the end.</summary>
    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string workingDirectory, string[] args, string stdin, Dictionary<string, string?>? environment = null)
    {
        // Both reads end only when every writer has closed the pipes: a daemon that kept them would hang here until
        // the limit. Latin-1 carries the protobuf bytes on stdin and stdout one to one.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var result = await Cli.Wrap(BuiltShim.Path)
            .WithArguments(args)
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(environment ?? [])
            .WithStandardInputPipe(PipeSource.FromString(stdin, System.Text.Encoding.Latin1))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(System.Text.Encoding.Latin1, System.Text.Encoding.UTF8, timeout.Token);
        return (result.ExitCode, result.StandardOutput, result.StandardError);
    }

    private static async Task WaitForExitAsync(int pid)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] != "Z")
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private static string ReadAvailable(FileStream fifo)
    {
        int fd = (int)fifo.SafeFileHandle.DangerousGetHandle();
        int flags = LibC.Fcntl(fd, LibC.F_GETFL, 0);
        LibC.Fcntl(fd, LibC.F_SETFL, flags | LibC.O_NONBLOCK);
        var text = new System.Text.StringBuilder();
        var buffer = new byte[65536];
        while (true)
        {
            int read;
            try
            {
                read = fifo.Read(buffer);
            }
            catch (IOException)
            {
                break;
            }

            if (read <= 0)
            {
                break;
            }

            text.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
