namespace Sealpod.Rpc.Ttrpc;

/// <summary>Fixed numbers of the ttrpc wire protocol (containerd/ttrpc <c>PROTOCOL.md</c>).</summary>
public static class TtrpcProtocol
{
    /// <summary>Size of the frame header that precedes every payload.</summary>
    public const int HeaderLength = 10;

    /// <summary>
    /// Largest payload a frame may carry (4 MiB). Both sides enforce it: a sender refuses to send a
    /// larger frame, a receiver skips it and answers <see cref="StatusCode.ResourceExhausted"/>.
    /// </summary>
    public const int MaxPayloadLength = 4 << 20;

    /// <summary>
    /// The longest timeout a .NET timer can run (about 49.7 days). A longer <c>timeout_nano</c> is still sent
    /// and reported as the deadline, but no timer is armed for it: it will not run out in practice.
    /// </summary>
    internal static readonly TimeSpan MaxTimerDuration = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
}
