namespace Sealpod.Rpc.Ttrpc;

/// <summary>A pending call whose response payload is handed back as a fresh array.</summary>
internal sealed class BytesPendingCall(bool runContinuationsAsynchronously) : PendingCall<byte[]>(runContinuationsAsynchronously)
{
    protected override byte[] Decode(ReadOnlySpan<byte> payload) => payload.ToArray();
}
