namespace Sealpod.Rpc.Ttrpc;

/// <summary>A pending call whose response is parsed, on the receive loop, into a protobuf message.</summary>
internal sealed class MessagePendingCall<TResponse>(MessageParser<TResponse> parser, bool runContinuationsAsynchronously)
    : PendingCall<TResponse>(runContinuationsAsynchronously)
    where TResponse : IMessage<TResponse>
{
    protected override TResponse Decode(ReadOnlySpan<byte> payload) => parser.ParseFrom(payload);
}
