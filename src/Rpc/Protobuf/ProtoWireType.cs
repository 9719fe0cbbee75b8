namespace Sealpod.Rpc.Protobuf;

/// <summary>The protobuf wire types that the envelopes use or must be able to skip.</summary>
internal enum ProtoWireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}
