using Sealpod.Protos.Containerd.Runtime.Bootstrap.V1;

namespace Sealpod.Shim.Hosting;

/// <summary>
/// What containerd writes to <c>start</c>'s stdin: nothing, a runtime-options <c>Any</c> (1.6 to 2.2), or a
/// <c>BootstrapParams</c> (2.3+). Protobuf alone cannot tell the last two apart (an Any read as BootstrapParams
/// has its type URL as the instance id), so the rule is containerd's own compat.go: it is BootstrapParams only
/// if it parses and names this shim's id and namespace.
/// </summary>
public sealed record StartInput(Any? RuntimeOptions, BootstrapParams? Bootstrap)
{
    public static StartInput Empty { get; } = new(null, null);

    /// <exception cref="FormatException">The bytes are neither.</exception>
    public static StartInput Parse(ReadOnlySpan<byte> stdin, string id, string ns)
    {
        if (stdin.IsEmpty)
        {
            return Empty;
        }

        try
        {
            var bootstrap = BootstrapParams.Parser.ParseFrom(stdin);
            if (bootstrap.InstanceId == id && bootstrap.Namespace == ns)
            {
                return new StartInput(bootstrap.Extensions.Select(e => e.Value).FirstOrDefault(v => v is not null), bootstrap);
            }
        }
        catch (InvalidProtocolBufferException)
        {
            // Not BootstrapParams; try the older form.
        }

        try
        {
            return new StartInput(Any.Parser.ParseFrom(stdin), null);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException($"stdin ({stdin.Length} bytes) is neither containerd.runtime.bootstrap.v1.BootstrapParams for {ns}/{id} nor a runtime options Any: {e.Message}", e);
        }
    }
}
