using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Sealpod.Linux.Native;
using Sealpod.Protos.Containerd.Task.V2;
using Sealpod.Runtime.Configuration;
using Sealpod.Runtime.Oci;
using Sealpod.Runtime.Rootfs;

namespace Sealpod.Shim.Hosting;

/// <summary>
/// <c>delete</c>: containerd lost the shim (killed, or unreachable after a restart) and asks the binary to
/// clean up after it. For the container that owns the VM: the shim server and the hypervisor are killed
/// (each only after checking the pid still is that process), the sandbox directory and the shim socket are
/// removed. For every container: its rootfs is unmounted. The answer is a DeleteResponse with 137
/// (128+SIGKILL) and the time, as runc's shim reports.
/// </summary>
internal static class DeleteCommand
{
    public const uint KilledStatus = 137;

    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(ShimFlags flags, Stream stdout, Stream stderr)
    {
        string bundle = flags.Bundle.Length > 0 ? flags.Bundle : Directory.GetCurrentDirectory();
        var directories = RuntimeDirectories.FromEnvironment();
        var warnings = new List<string>();
        var kind = ContainerKind.Single;
        try
        {
            kind = PodMembership.FromAnnotations(flags.Id, OciBundle.Load(bundle).Annotations).Kind;
        }
        catch (Exception e) when (e is Runtime.Errors.InvalidArgumentException)
        {
            warnings.Add($"cannot read the bundle's spec ({e.Message}); treating {flags.Id} as owning its VM");
        }

        uint hypervisorPid = 0;
        if (kind != ContainerKind.PodContainer)
        {
            // The server first, so it cannot act on the VM while the VM is being killed.
            KillIfItIs(ReadPid(Path.Combine(bundle, "shim.pid")), ShimVersion.BinaryName, warnings);
            string sandboxDirectory = directories.SandboxDirectory(flags.Id);
            int? qemu = ReadPid(Path.Combine(sandboxDirectory, "qemu.pid"));
            if (KillIfItIs(qemu, sandboxDirectory, warnings))
            {
                hypervisorPid = (uint)qemu!.Value;
            }

            TryDelete(() => Directory.Delete(sandboxDirectory, recursive: true), sandboxDirectory, warnings);
            if (ReadText(Path.Combine(bundle, "address")) is { Length: > 0 } address)
            {
                TryDelete(() => File.Delete(ShimSocketAddress.ToPath(address.Trim())), address, warnings);
            }
        }

        try
        {
            RootfsMounter.UnmountAll(Path.Combine(bundle, "rootfs"));
        }
        catch (IOException e)
        {
            warnings.Add(e.Message);
        }

        foreach (var warning in warnings)
        {
            await ShimProgram.WriteAsync(stderr, warning + "\n").ConfigureAwait(false);
        }

        var response = new DeleteResponse { Pid = hypervisorPid, ExitStatus = KilledStatus, ExitedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) };
        await stdout.WriteAsync(response.ToByteArray()).ConfigureAwait(false);
        await stdout.FlushAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>SIGKILLs <paramref name="pid"/> if its command line contains <paramref name="marker"/>, then waits for it to go.</summary>
    private static bool KillIfItIs(int? pid, string marker, List<string> warnings)
    {
        if (pid is not { } target || target <= 1)
        {
            return false;
        }

        string? commandLine = ReadText($"/proc/{target}/cmdline")?.Replace('\0', ' ');
        if (commandLine is null || !commandLine.Contains(marker, StringComparison.Ordinal))
        {
            return false; // gone already, or the pid now belongs to someone else
        }

        if (LibC.Kill(target, LibC.SIGKILL) != 0)
        {
            warnings.Add($"cannot kill pid {target}: {LibC.ErrorText(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}");
            return false;
        }

        var deadline = DateTime.UtcNow + ExitWait;
        while (IsAlive(target) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        return true;
    }

    private static bool IsAlive(int pid)
    {
        // A zombie has no command line left; it only waits to be reaped by its new parent.
        string? stat = ReadText($"/proc/{pid}/stat");
        return stat is not null && !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
    }

    private static int? ReadPid(string path) =>
        ReadText(path) is { } text && int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void TryDelete(Action delete, string what, List<string> warnings)
    {
        try
        {
            delete();
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warnings.Add($"cannot remove {what}: {e.Message}");
        }
    }
}
