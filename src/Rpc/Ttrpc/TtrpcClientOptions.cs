namespace Sealpod.Rpc.Ttrpc;

/// <summary>Settings of a <see cref="TtrpcClient"/>.</summary>
public sealed record TtrpcClientOptions
{
    /// <summary>The clock behind call timeouts; tests can substitute their own.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Whether a caller's continuation after <c>await CallAsync(...)</c> is queued to the thread pool (the
    /// default) instead of running on the connection's receive loop. Running inline saves a thread hop per
    /// call but lets slow or blocking caller code stall every other call on the connection.
    /// </summary>
    public bool RunContinuationsAsynchronously { get; init; } = true;
}
