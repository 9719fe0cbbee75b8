using Sealpod.Linux.Mounts;
using Sealpod.Protos.Containerd.Task.V2;
using Sealpod.Runtime.Cgroups;
using Sealpod.Runtime.Configuration;
using Sealpod.Runtime.Oci;
using Sealpod.Runtime.Rootfs;
using Sealpod.Vmm;
using Sealpod.Vmm.Lifecycle;

namespace Sealpod.Shim.Hosting;

/// <summary>
/// <c>delete</c>: containerd lost the shim (killed, or unreachable after a restart) and asks the binary to
/// clean up after it. For the container that owns the VM: the shim server is killed, the hypervisor drivers
/// clean up what their VM left (each process only after checking the pid still is that process), and the
/// sandbox directory (its mounts detached first, nothing deleted through one) and the shim socket are removed. For every container: its rootfs is unmounted. The
/// answer is a DeleteResponse with 137 (128+SIGKILL) and the time, as runc's shim reports.
/// </summary>
internal static class DeleteCommand
{
    public const uint KilledStatus = 137;

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
            await OrphanProcess.KillAsync(Path.Combine(bundle, "shim.pid"), ShimVersion.BinaryName, warnings).ConfigureAwait(false);

            // The hypervisor drivers know their own processes and files; the directory then goes with what else is in it.
            string sandboxDirectory = directories.SandboxDirectory(flags.Id);
            var orphans = await HypervisorFactory.CleanupOrphansAsync(sandboxDirectory).ConfigureAwait(false);
            warnings.AddRange(orphans.Warnings);
            hypervisorPid = (uint)(orphans.HypervisorPid ?? 0);

            // With the hypervisor gone its taps went too; the qdiscs and filters on the pod's interfaces stay until removed.
            try
            {
                await Runtime.Network.SandboxNetwork.CleanupAsync(sandboxDirectory, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                warnings.Add($"cannot remove the pod network of {flags.Id}: {e.Message}");
            }

            // Its processes are gone now, so the host cgroups the sandbox recorded can go (rmdir only).
            warnings.AddRange(HostCgroupRecord.RemoveRecorded(sandboxDirectory));
            // After a crash the share's binds of host volumes are still mounted under it: detach them, never delete through them.
            TryDelete(() => SafeTreeRemover.Remove(sandboxDirectory), sandboxDirectory, warnings);
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
