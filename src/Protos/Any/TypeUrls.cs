using Google.Protobuf.Reflection;

namespace Sealpod.Protos;

/// <summary>
/// Type URLs as containerd writes them into <c>google.protobuf.Any</c>.
/// </summary>
/// <remarks>
/// containerd's typeurl registry names a protobuf message by its bare full name
/// (<c>containerd.events.TaskExit</c>), not <c>type.googleapis.com/containerd.events.TaskExit</c>,
/// and carries OCI runtime-spec structures as JSON under <c>types.containerd.io/...</c> URLs.
/// </remarks>
public static class TypeUrls
{
    /// <summary>The prefix Google's own <c>Any.Pack</c> uses; containerd peers may still send it.</summary>
    public const string GooglePrefix = "type.googleapis.com/";

    /// <summary>OCI runtime-spec <c>Spec</c> as JSON.</summary>
    public const string OciSpec = "types.containerd.io/opencontainers/runtime-spec/1/Spec";

    /// <summary>OCI runtime-spec <c>Process</c> as JSON (ExecProcessRequest.spec).</summary>
    public const string OciProcess = "types.containerd.io/opencontainers/runtime-spec/1/Process";

    /// <summary>OCI runtime-spec <c>LinuxResources</c> as JSON (UpdateTaskRequest.resources).</summary>
    public const string OciLinuxResources = "types.containerd.io/opencontainers/runtime-spec/1/LinuxResources";

    /// <summary>OCI runtime-spec <c>WindowsResources</c> as JSON.</summary>
    public const string OciWindowsResources = "types.containerd.io/opencontainers/runtime-spec/1/WindowsResources";

    /// <summary><c>runtimeoptions.v1.Options</c>: what <c>ctr --runtime-config-path</c> and CRI send.</summary>
    public const string RuntimeOptions = "runtimeoptions.v1.Options";

    /// <summary>The same message under the name older CRI plugins used.</summary>
    public const string LegacyCriRuntimeOptions = "cri.runtimeoptions.v1.Options";

    /// <summary>runc's options; CRI's default handler may send them to any runtime.</summary>
    public const string RuncOptions = "containerd.runc.v1.Options";

    /// <summary>cgroup v1 statistics in StatsResponse.stats.</summary>
    public const string CgroupsV1Metrics = "io.containerd.cgroups.v1.Metrics";

    /// <summary>cgroup v2 statistics in StatsResponse.stats.</summary>
    public const string CgroupsV2Metrics = "io.containerd.cgroups.v2.Metrics";

    /// <summary>The type URL containerd uses for a protobuf message: its bare full name.</summary>
    public static string For(MessageDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return descriptor.FullName;
    }

    /// <summary>
    /// The message name a type URL refers to: the URL itself when bare, otherwise the part
    /// after the last '/' (the rule protobuf's own Any uses for prefixed URLs).
    /// </summary>
    public static string MessageName(string typeUrl)
    {
        ArgumentNullException.ThrowIfNull(typeUrl);
        int slash = typeUrl.LastIndexOf('/');
        return slash < 0 ? typeUrl : typeUrl[(slash + 1)..];
    }

    /// <summary>
    /// Whether <paramref name="typeUrl"/> names <paramref name="descriptor"/>, bare or prefixed.
    /// </summary>
    public static bool Names(string typeUrl, MessageDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return string.Equals(MessageName(typeUrl), descriptor.FullName, StringComparison.Ordinal);
    }
}
