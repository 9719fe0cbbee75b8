namespace Sealpod.Linux.Netlink;

/// <summary>
/// Reads the replies to one request, datagram by datagram: data messages go to the caller, NLMSG_ERROR with
/// errno 0 (the ack) or NLMSG_DONE (the end of a dump) finish it, and NLMSG_ERROR with an errno throws a
/// <see cref="NetlinkException"/>. Messages of other sequence numbers (late replies to an abandoned request)
/// are skipped. A dump spans as many datagrams as the kernel needs, each message flagged NLM_F_MULTI.
/// </summary>
internal sealed class ReplyReader
{
    private readonly uint _sequence;
    private readonly string _operation;

    public ReplyReader(uint sequence, string operation)
    {
        _sequence = sequence;
        _operation = operation;
    }

    public delegate void MessageHandler(NetlinkMessage message);

    public bool Finished { get; private set; }

    /// <summary>Takes one datagram; returns true when the request's replies are complete.</summary>
    public bool Accept(ReadOnlySpan<byte> datagram, MessageHandler? onMessage)
    {
        foreach (var message in NetlinkMessage.Split(datagram))
        {
            if (Finished || message.Sequence != _sequence)
            {
                continue;
            }

            switch (message.Type)
            {
                case Rtnl.NLMSG_ERROR:
                    ReadError(message);
                    Finished = true;
                    break;
                case Rtnl.NLMSG_DONE:
                    Finished = true;
                    break;
                case Rtnl.NLMSG_NOOP:
                    break;
                default:
                    onMessage?.Invoke(message);
                    break;
            }
        }

        return Finished;
    }

    private void ReadError(NetlinkMessage message)
    {
        var payload = message.Payload;
        if (payload.Length < 4)
        {
            throw new InvalidDataException($"netlink {_operation}: an error message of {payload.Length} bytes");
        }

        var error = MemoryMarshal.Read<int>(payload);
        if (error == 0)
        {
            return;
        }

        throw new NetlinkException(_operation, -error, ExtendedAckText(message));
    }

    // After the errno comes the request's header (and its payload unless NLM_F_CAPPED), then with
    // NLM_F_ACK_TLVS the extended-ack attributes.
    private static string? ExtendedAckText(NetlinkMessage message)
    {
        if ((message.Flags & Rtnl.NLM_F_ACK_TLVS) == 0 || message.Payload.Length < 4 + Rtnl.HeaderSize)
        {
            return null;
        }

        var offset = 4 + Rtnl.HeaderSize;
        if ((message.Flags & Rtnl.NLM_F_CAPPED) == 0)
        {
            offset = 4 + Rtnl.Align((int)MemoryMarshal.Read<uint>(message.Payload[4..]));
        }

        if (offset > message.Payload.Length)
        {
            return null;
        }

        return new NetlinkAttributes(message.Payload[offset..]).TryFind(Rtnl.NLMSGERR_ATTR_MSG, out var text)
            ? NetlinkAttribute.ToText(text)
            : null;
    }
}
