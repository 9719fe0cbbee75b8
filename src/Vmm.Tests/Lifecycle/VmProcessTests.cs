using Microsoft.Extensions.Logging.Abstractions;

namespace Sealpod.Vmm.Tests.Lifecycle;

/// <summary>The spawn every driver uses, with a shell standing in for the hypervisor.</summary>
public sealed class VmProcessTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_passed_descriptor_is_the_childs_3_and_stays_close_on_exec_in_the_parent()
    {
        var data = _temp.File("data");
        File.WriteAllText(data, "from the parent");
        using var handle = File.OpenHandle(data);
        var log = _temp.File("out.log");

        // The child reads its descriptor 3; a second child started without it must not have a 3.
        await using (var child = VmProcess.Start("reader", "/bin/sh", ["-c", "cat <&3; echo; echo exit"], _temp.Path, log, NullLogger.Instance, passedDescriptors: [handle]))
        {
            Assert.Equal(0, await child.Exited.WaitAsync(TimeSpan.FromSeconds(20)));
        }

        var other = _temp.File("other.log");
        await using (var child = VmProcess.Start("other", "/bin/sh", ["-c", "if [ -e /proc/self/fd/3 ]; then echo leaked; else echo none; fi"], _temp.Path, other, NullLogger.Instance))
        {
            Assert.Equal(0, await child.Exited.WaitAsync(TimeSpan.FromSeconds(20)));
        }

        Assert.Equal("from the parent\nexit\n", File.ReadAllText(log));
        Assert.Equal("none\n", File.ReadAllText(other));
        Assert.Equal(Sealpod.Linux.Native.LibC.FD_CLOEXEC, Sealpod.Linux.Native.LibC.Fcntl((int)handle.DangerousGetHandle(), Sealpod.Linux.Native.LibC.F_GETFD, 0) & Sealpod.Linux.Native.LibC.FD_CLOEXEC);
    }

    [Fact]
    public async Task A_killed_process_reports_128_plus_the_signal_and_its_pid_file_goes()
    {
        var pidFile = _temp.File("vm.pid");
        var child = VmProcess.Start("sleeper", "sleep", ["60"], _temp.Path, _temp.File("sleep.log"), NullLogger.Instance, pidFile);
        Assert.True(File.Exists(pidFile));

        child.Kill();

        Assert.Equal(137, await child.Exited.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.True(child.KillRequested);
        Assert.False(File.Exists(pidFile));
        await child.DisposeAsync();
    }

    [Fact]
    public void A_missing_binary_is_a_start_failure_naming_it()
    {
        var error = Assert.Throws<HypervisorStartException>(() =>
            VmProcess.Start("none", "/nonexistent/qemu", [], _temp.Path, _temp.File("none.log"), NullLogger.Instance));
        Assert.Contains("/nonexistent/qemu", error.Message, StringComparison.Ordinal);
    }
}
