using Sealpod.Protos.Kata.Agent;

namespace Sealpod.Runtime.Translation;

/// <summary>
/// What of a host spec the guest may use (Kata's constrainGRPCSpec): hooks name host binaries and are dropped;
/// namespace paths name host namespaces and are cleared, the cgroup and network namespaces are the VM's own;
/// host device nodes and device cgroup rules mean nothing in the guest; host labels and profiles are the
/// host's. Bind mounts of host files are rewritten to guest copies (<see cref="SharedFile"/>), since a
/// confidential guest shares no filesystem with the host; bind mounts of host directories are dropped.
/// </summary>
public static class GuestSpecPolicy
{
    /// <summary>Larger host files are not copied into the guest (they are configuration files, not data).</summary>
    public const long MaxSharedFileBytes = 1 << 20;

    /// <summary>The guest directory under which a container's copied files live.</summary>
    public static string SharedDirectory(string containerId) => $"/run/sealpod/shared/{containerId}";

    /// <summary>Applies the policy in place; returns the files to copy and a note per thing that was dropped.</summary>
    public static (IReadOnlyList<SharedFile> Files, IReadOnlyList<string> Dropped) Apply(
        Spec spec, string containerId, string guestRootfs, bool disableGuestSeccomp, Func<string, long?> hostFileSize)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(hostFileSize);
        var dropped = new List<string>();
        var files = new List<SharedFile>();

        if (spec.Hooks is not null)
        {
            dropped.Add("hooks (they run host binaries)");
            spec.Hooks = null;
        }

        spec.Root = new Root { Path = guestRootfs, Readonly = spec.Root?.Readonly ?? false };
        if (spec.Process is { } process)
        {
            process.ApparmorProfile = string.Empty;
            process.SelinuxLabel = string.Empty;
        }

        if (spec.Linux is { } linux)
        {
            var namespaces = linux.Namespaces.Where(ns => ns.Type is not ("network" or "cgroup")).ToList();
            foreach (var ns in namespaces)
            {
                ns.Path = string.Empty;
            }

            linux.Namespaces.Clear();
            linux.Namespaces.AddRange(namespaces);
            linux.Devices.Clear();
            linux.Resources?.Devices.Clear();
            linux.MountLabel = string.Empty;
            if (disableGuestSeccomp && linux.Seccomp is not null)
            {
                linux.Seccomp = null;
            }
        }

        var mounts = new List<Mount>(spec.Mounts.Count);
        foreach (var mount in spec.Mounts)
        {
            if (!IsBind(mount))
            {
                mounts.Add(mount);
                continue;
            }

            long? size = hostFileSize(mount.Source);
            if (size is null)
            {
                dropped.Add($"bind mount {mount.Source} -> {mount.Destination} (not a regular host file; no shared filesystem)");
                continue;
            }

            if (size > MaxSharedFileBytes)
            {
                dropped.Add($"bind mount {mount.Source} -> {mount.Destination} ({size} bytes, over the {MaxSharedFileBytes}-byte copy limit)");
                continue;
            }

            string guestPath = $"{SharedDirectory(containerId)}/{files.Count}-{Path.GetFileName(mount.Source)}";
            files.Add(new SharedFile(mount.Source, guestPath, mount.Options.Contains("ro")));
            mount.Source = guestPath;
            mounts.Add(mount);
        }

        spec.Mounts.Clear();
        spec.Mounts.AddRange(mounts);
        return (files, dropped);
    }

    private static bool IsBind(Mount mount) =>
        mount.Type == "bind" || mount.Options.Contains("bind") || mount.Options.Contains("rbind");
}
