namespace Sealpod.Rpc.Ttrpc;

/// <summary>Per-call settings of a ttrpc client call.</summary>
public sealed record TtrpcCallOptions
{
    /// <summary>
    /// How long the call may take. It is sent as <c>timeout_nano</c>, so the server cancels its handler,
    /// and it is enforced here too: the call fails with <see cref="StatusCode.DeadlineExceeded"/> when it runs out.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Metadata sent with the request (keys are lower-cased).</summary>
    public TtrpcMetadata? Metadata { get; init; }
}
