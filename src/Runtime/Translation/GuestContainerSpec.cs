using Sealpod.Protos.Kata.Agent;
using Sealpod.Runtime.Oci;
using Sealpod.Runtime.Sharing;

namespace Sealpod.Runtime.Translation;

/// <summary>
/// A container's OCI spec as the guest gets it (<see cref="GuestSpecPolicy"/>) and the host files to copy for it.
/// Prepared before the VM is touched, so a spec the guest cannot run fails the create without booting anything.
/// </summary>
public sealed record GuestContainerSpec(Spec Spec, IReadOnlyList<GuestCopy> Copies, IReadOnlyList<string> Notes)
{
    /// <summary>Translates the bundle's config.json and applies the guest policy; errors name the file, field or mount.</summary>
    public static GuestContainerSpec Prepare(OciBundle bundle, string containerId, bool disableGuestSeccomp, Func<string, int, HostTree>? readHostPath = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var spec = OciSpecTranslator.ToSpec(bundle.ConfigJson, Path.Combine(bundle.Directory, "config.json"));
        var (copies, notes) = GuestSpecPolicy.Apply(spec, containerId, RootfsStorages.GuestRootfs(containerId), disableGuestSeccomp, readHostPath ?? HostTree.Read);
        return new GuestContainerSpec(spec, copies, notes);
    }
}
