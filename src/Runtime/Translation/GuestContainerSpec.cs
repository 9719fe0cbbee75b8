namespace Sealpod.Runtime.Translation;

/// <summary>
/// A container's OCI spec as the guest gets it (<see cref="GuestSpecPolicy"/>) and the host files to copy for it.
/// Prepared before the VM is touched, so a spec the guest cannot run fails the create without booting anything.
/// </summary>
public sealed record GuestContainerSpec(OciSpec Spec, IReadOnlyList<GuestCopy> Copies, IReadOnlyList<string> Notes)
{
    /// <summary>The bind mounts to share over virtio-fs (<see cref="PrepareShared"/>); empty when files are copied.</summary>
    public IReadOnlyList<SharedBind> Binds { get; init; } = [];

    /// <summary>The guest storages the spec's emptyDir mounts need (<see cref="GuestSpecPolicy.EmptyDirStorages"/>).</summary>
    public IReadOnlyList<Storage> Storages => GuestSpecPolicy.EmptyDirStorages(Spec);

    /// <summary>Translates the bundle's config.json and applies the guest policy; errors name the file, field or mount.</summary>
    public static GuestContainerSpec Prepare(OciBundle bundle, string containerId, bool disableGuestSeccomp, Func<string, int, HostTree>? readHostPath = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var spec = OciSpecTranslator.ToSpec(bundle.ConfigJson, Path.Combine(bundle.Directory, "config.json"));
        var (guest, copies, notes) = GuestSpecPolicy.Apply(spec, containerId, RootfsStorages.GuestRootfs(containerId), disableGuestSeccomp, readHostPath ?? HostTree.Read);
        return new GuestContainerSpec(guest, copies, notes);
    }

    /// <summary>As <see cref="Prepare"/>, for a sandbox sharing a filesystem with its guest over virtio-fs.</summary>
    public static GuestContainerSpec PrepareShared(OciBundle bundle, string containerId, bool disableGuestSeccomp, Func<string, int, HostTree>? statHostPath = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var spec = OciSpecTranslator.ToSpec(bundle.ConfigJson, Path.Combine(bundle.Directory, "config.json"));
        var (guest, binds, notes) = GuestSpecPolicy.ApplyShared(spec, containerId, RootfsStorages.GuestRootfs(containerId), disableGuestSeccomp, statHostPath ?? HostTree.Read);
        return new GuestContainerSpec(guest, [], notes) { Binds = binds };
    }
}
