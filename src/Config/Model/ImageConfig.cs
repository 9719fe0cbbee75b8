namespace Sealpod.Config;

/// <summary><c>[image]</c> (CCv0): image handling in the guest.</summary>
public sealed record ImageConfig
{
    /// <summary><c>provision</c>.</summary>
    public string Provision { get; init; } = string.Empty;

    /// <summary><c>service_offload</c>: offload image pull to a guest service.</summary>
    public bool ServiceOffload { get; init; }
}
