namespace Sealpod.AgentClient.Oci;

/// <summary>Lifecycle hooks (runtime-spec <c>hooks</c>).</summary>
public sealed record OciHooks
{
    public IReadOnlyList<OciHook> Prestart { get; init; } = [];

    public IReadOnlyList<OciHook> Poststart { get; init; } = [];

    public IReadOnlyList<OciHook> Poststop { get; init; } = [];

    public IReadOnlyList<OciHook> CreateRuntime { get; init; } = [];

    public IReadOnlyList<OciHook> CreateContainer { get; init; } = [];

    public IReadOnlyList<OciHook> StartContainer { get; init; } = [];
}
