namespace Sealpod.Runtime.Oci;

/// <summary>
/// Refuses, at Create, what a VM pod cannot honour. A CRI sandbox spec with no network, pid or ipc namespace entry
/// is a hostNetwork/hostPID/hostIPC pod (CRI leaves the entry out to mean "the host's"): the pod's processes run in
/// the guest, so they cannot share the host's namespaces, and Kata refuses these pods too. A systemd-style
/// cgroupsPath (<c>slice:prefix:name</c>) needs a systemd cgroup driver the shim does not have yet; running it as a
/// cgroupfs path would put the VM in a cgroup nobody (kubelet, systemd) accounts for.
/// </summary>
public static class VmPodSpecGuard
{
    /// <exception cref="InvalidArgumentException">The spec asks for a host namespace (CRI sandbox only) or a systemd cgroup path.</exception>
    public static void Check(OciBundle bundle, ContainerKind kind)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        using var document = JsonDocument.Parse(bundle.ConfigJson);
        var linux = document.RootElement.TryGetProperty("linux", out var l) && l.ValueKind == JsonValueKind.Object ? l : default;
        string source = Path.Combine(bundle.Directory, "config.json");

        if (linux.ValueKind == JsonValueKind.Object && linux.TryGetProperty("cgroupsPath", out var cgroups) && cgroups.ValueKind == JsonValueKind.String
            && IsSystemdPath(cgroups.GetString()!))
        {
            throw new InvalidArgumentException(
                $"{source}: linux.cgroupsPath '{cgroups.GetString()}' is a systemd cgroup path (slice:prefix:name), which sealpod cannot place yet: " +
                "set the containerd runtime option SystemdCgroup = false for this runtime (cgroupfs driver) and the kubelet's cgroupDriver to match");
        }

        if (kind != ContainerKind.PodSandbox)
        {
            // ctr run and pod containers: no CRI sandbox statement about host namespaces to check.
            return;
        }

        var present = new HashSet<string>(StringComparer.Ordinal);
        if (linux.ValueKind == JsonValueKind.Object && linux.TryGetProperty("namespaces", out var namespaces) && namespaces.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in namespaces.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
                {
                    present.Add(type.GetString()!);
                }
            }
        }

        foreach (var (type, field) in HostNamespaces)
        {
            if (!present.Contains(type))
            {
                throw new InvalidArgumentException(
                    $"{source}: the pod sandbox has no {type} namespace in linux.namespaces, so it asks for the host's ({field}: true); " +
                    $"a VM pod runs in its own guest and cannot share the host's {type} namespace: remove {field} from the pod or use a runc runtime class");
            }
        }
    }

    // CRI omits the entry for each of these when the pod sets the matching field.
    private static readonly (string Type, string Field)[] HostNamespaces = [("network", "hostNetwork"), ("pid", "hostPID"), ("ipc", "hostIPC")];

    /// <summary>runc's systemd form: exactly three ':'-separated parts, the first empty or a unit ending in .slice.</summary>
    internal static bool IsSystemdPath(string path)
    {
        var parts = path.Split(':');
        return parts.Length == 3 && (parts[0].Length == 0 || parts[0].EndsWith(".slice", StringComparison.Ordinal));
    }
}
