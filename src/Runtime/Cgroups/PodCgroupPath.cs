namespace Sealpod.Runtime.Cgroups;

/// <summary>
/// Where a sandbox's VM goes in the host's cgroups (cgroupfs driver), from the sandbox container's
/// <c>linux.cgroupsPath</c> as the OCI spec and Kata read it: an absolute path is taken inside the hierarchies as
/// given; a relative one is placed under <c>/sealpod</c> (Kata's <c>/vc</c>); none means <c>/sealpod/&lt;sandbox id&gt;</c>.
/// A path that could leave the hierarchy is refused. The systemd form (<c>slice:prefix:name</c>) never gets here:
/// <see cref="Oci.VmPodSpecGuard"/> refuses it at Create.
/// </summary>
public static class PodCgroupPath
{
    /// <summary>Where relative paths and sandboxes without a path go.</summary>
    public const string DefaultParent = "/sealpod";

    /// <summary>Where the hypervisor's own threads go with <c>sandbox_cgroup_only = false</c> (Kata's /kata_overhead).</summary>
    public const string OverheadParent = "/sealpod_overhead";

    /// <summary>The pod cgroup's path.</summary>
    /// <param name="cgroupsPath">The spec's <c>linux.cgroupsPath</c>, null or empty when unset.</param>
    /// <param name="sandboxId">The sandbox's id (already validated as a container id).</param>
    /// <param name="source">The spec file, for errors.</param>
    /// <exception cref="InvalidArgumentException">The path is not usable; the message names the field and says why.</exception>
    public static string Resolve(string? cgroupsPath, string sandboxId, string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(sandboxId);
        string path = string.IsNullOrEmpty(cgroupsPath)
            ? DefaultParent + "/" + sandboxId
            : cgroupsPath[0] == '/' ? cgroupsPath : DefaultParent + "/" + cgroupsPath;
        if (!CgroupPath.IsValid(path, out var problem))
        {
            throw new InvalidArgumentException(
                $"{source}: linux.cgroupsPath '{cgroupsPath}' cannot be used as the sandbox's host cgroup: {problem}; " +
                "expected an absolute cgroupfs path such as /kubepods/besteffort/pod<uid>/<id>, or a relative one, placed under " + DefaultParent);
        }

        return path.TrimEnd('/');
    }

    /// <summary>The overhead cgroup of <paramref name="sandboxId"/>.</summary>
    public static string Overhead(string sandboxId) => OverheadParent + "/" + sandboxId;
}
