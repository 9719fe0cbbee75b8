using Sealpod.Runtime.Errors;
using Sealpod.Runtime.Oci;
using Sealpod.Runtime.Translation;

namespace Sealpod.Fuzz.Targets;

/// <summary>
/// A bundle's config.json as the shim reads it: the bundle (annotations, terminal, hostname), the pod membership
/// the annotations declare, and the guest spec prepared from it for both sharing modes (copy and virtio-fs). Host
/// paths named by bind mounts are never read (<see cref="FakeHostTrees"/>). Documented: the runtime's typed
/// errors (InvalidArgumentException naming the field, and the other RuntimeException kinds).
/// </summary>
internal sealed class OciBundleTarget() : FuzzTarget("oci-spec", "OCI bundle config.json: bundle reading, pod membership, guest spec translation (src/Runtime)")
{
    private const string Directory = "/run/sealpod-fuzz/bundle";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var bundle = OciBundle.Parse(Directory, input.ToArray(), "config.json");
        _ = PodMembership.FromAnnotations("c1", bundle.Annotations);
        try
        {
            _ = GuestContainerSpec.Prepare(bundle, "c1", disableGuestSeccomp: true, FakeHostTrees.Read).Storages.Count;
        }
        catch (RuntimeException)
        {
            // Refused for copying (a read-write directory, say); virtio-fs sharing may still take it.
        }

        _ = GuestContainerSpec.PrepareShared(bundle, "c1", disableGuestSeccomp: false, FakeHostTrees.Read).Storages.Count;
    }

    public override bool IsDocumented(Exception exception) => exception is RuntimeException;

}
