namespace Sealpod.Rpc.Tests;

/// <summary>
/// Golden bytes produced by containerd's Go ttrpc 1.1.1 (gogo protobuf <c>proto.Marshal</c> of
/// <c>ttrpc.Request</c>/<c>ttrpc.Response</c>), so our encoder is byte-for-byte what Go sends.
/// </summary>
public sealed class TtrpcEnvelopeTests
{
    private const string MinimalRequest = "0a0373766312014d";

    private const string FullRequest =
        "0a17636f6e7461696e6572642e7461736b2e76322e5461736b12064372656174651a030102032080e497d012" +
        "2a240a1a636f6e7461696e6572642d6e616d6573706163652d747472706312066b38732e696f" +
        "2a060a0178120131" + "2a060a0178120132";

    private const string NegativeTimeoutRequest = "0a017312016d20ffffffffffffffffff01";

    private const string EmptyMetadataValueRequest = "0a017312016d2a030a016b";

    private const string ErrorResponse = "0a0d080512096e6f7420666f756e64";

    private const string DetailsResponse =
        "0a3f080312036261641a360a2f747970652e676f6f676c65617069732e636f6d2f676f6f676c652e70726f746f6275662e537472696e6756616c756512030a0164";

    private const string StringValueAny = "0a2f747970652e676f6f676c65617069732e636f6d2f676f6f676c652e70726f746f6275662e537472696e6756616c756512030a0164";

    private static string WriteRequest(string service, string method, byte[] payload, long timeoutNano, TtrpcMetadata? metadata)
    {
        int length = TtrpcRequestEnvelope.GetLength(service, method, payload.Length, timeoutNano, metadata);
        byte[] buffer = Enumerable.Repeat((byte)0xFF, length + 4).ToArray();
        int written = TtrpcRequestEnvelope.Write(buffer, service, method, TtrpcPayload.FromBytes(payload), timeoutNano, metadata);
        Assert.Equal(length, written);
        Assert.All(buffer[length..], b => Assert.Equal(0xFF, b));
        return Convert.ToHexStringLower(buffer, 0, length);
    }

    [Fact]
    public void Minimal_request_matches_go()
    {
        Assert.Equal(MinimalRequest, WriteRequest("svc", "M", [], 0, null));
    }

    [Fact]
    public void Full_request_matches_go()
    {
        var metadata = new TtrpcMetadata().Add("containerd-namespace-ttrpc", "k8s.io").Add("X", "1").Add("x", "2");

        Assert.Equal(FullRequest, WriteRequest("containerd.task.v2.Task", "Create", [1, 2, 3], 5_000_000_000, metadata));
    }

    [Fact]
    public void Negative_timeout_is_a_ten_byte_varint_like_go()
    {
        Assert.Equal(NegativeTimeoutRequest, WriteRequest("s", "m", [], -1, null));
    }

    [Fact]
    public void Empty_metadata_value_is_omitted_like_go()
    {
        Assert.Equal(EmptyMetadataValueRequest, WriteRequest("s", "m", [], 0, new TtrpcMetadata().Add("k", "")));
    }

    [Fact]
    public void Full_request_parses_back()
    {
        var envelope = TtrpcRequestEnvelope.Parse(Convert.FromHexString(FullRequest));

        Assert.Equal("containerd.task.v2.Task", envelope.Service);
        Assert.Equal("Create", envelope.Method);
        Assert.Equal([1, 2, 3], envelope.Payload.ToArray());
        Assert.Equal(5_000_000_000, envelope.TimeoutNano);
        Assert.Equal(3, envelope.MetadataCount);
        TtrpcMetadata metadata = envelope.ReadMetadata();
        Assert.Equal("k8s.io", metadata.GetValue("containerd-namespace-ttrpc"));
        Assert.Equal(["1", "2"], metadata.GetValues("x"));
    }

    [Fact]
    public void Request_parse_skips_unknown_fields_of_every_wire_type()
    {
        // field 9 varint, field 10 fixed64, field 11 bytes, field 12 fixed32, then method.
        byte[] bytes = Convert.FromHexString("4801" + "510102030405060708" + "5a0161" + "6501020304" + "12016d");

        var envelope = TtrpcRequestEnvelope.Parse(bytes);

        Assert.Equal("m", envelope.Method);
        Assert.Equal("", envelope.Service);
    }

    [Theory]
    [InlineData("0a05737663", "runs past the end")]
    [InlineData("2080", "truncated varint")]
    [InlineData("0803", "field service has wire type 0")]
    [InlineData("200affffffffffffffffffff01", "varint longer than 10 bytes")]
    [InlineData("4b", "unsupported wire type 3")]
    [InlineData("00", "invalid field number 0")]
    [InlineData("2a040a0161", "runs past the end")]
    [InlineData("2a020a05", "runs past the end")]
    public void Malformed_requests_name_the_problem(string hex, string expected)
    {
        byte[] bytes = Convert.FromHexString(hex);

        InvalidDataException error = Assert.Throws<InvalidDataException>(() => TtrpcRequestEnvelope.Parse(bytes));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Success_response_has_no_status_field()
    {
        Assert.Equal("12026869", WriteResponse(StatusCode.OK, null, null, "hi"u8.ToArray()));
        Assert.Equal("", WriteResponse(StatusCode.OK, null, null, []));
    }

    [Fact]
    public void Error_response_matches_go()
    {
        Assert.Equal(ErrorResponse, WriteResponse(StatusCode.NotFound, "not found", null, []));
    }

    [Fact]
    public void Error_response_with_details_matches_go()
    {
        Assert.Equal(DetailsResponse, WriteResponse(StatusCode.InvalidArgument, "bad", [Convert.FromHexString(StringValueAny)], []));
    }

    [Theory]
    [InlineData("12026869", StatusCode.OK, "", "6869")]
    [InlineData("0a0012026869", StatusCode.OK, "", "6869")]
    [InlineData(ErrorResponse, StatusCode.NotFound, "not found", "")]
    [InlineData("", StatusCode.OK, "", "")]
    public void Responses_from_go_parse(string hex, StatusCode code, string message, string payload)
    {
        var envelope = TtrpcResponseEnvelope.Parse(Convert.FromHexString(hex));

        Assert.Equal(code, envelope.StatusCode);
        Assert.Equal(code == StatusCode.OK, envelope.IsOk);
        Assert.Equal(message, envelope.StatusMessage);
        Assert.Equal(payload, Convert.ToHexStringLower(envelope.Payload));
    }

    [Fact]
    public void Error_response_becomes_an_rpc_exception_with_details()
    {
        var envelope = TtrpcResponseEnvelope.Parse(Convert.FromHexString(DetailsResponse));

        RpcException error = envelope.ToException();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("bad", error.Message);
        ReadOnlyMemory<byte> detail = Assert.Single(error.Details);
        Assert.Equal(StringValueAny, Convert.ToHexStringLower(detail.Span));
    }

    [Fact]
    public void Negative_status_codes_round_trip()
    {
        string hex = WriteResponse((StatusCode)(-3), "odd", null, []);

        Assert.Equal((StatusCode)(-3), TtrpcResponseEnvelope.Parse(Convert.FromHexString(hex)).StatusCode);
    }

    [Fact]
    public void Protobuf_message_payload_is_serialized_in_place()
    {
        var message = new Google.Protobuf.WellKnownTypes.StringValue { Value = "abc" };
        TtrpcPayload payload = TtrpcPayload.FromMessage(message);
        int length = TtrpcRequestEnvelope.GetLength("s", "m", payload.Length, 0, null);
        byte[] buffer = new byte[length];
        TtrpcRequestEnvelope.Write(buffer, "s", "m", payload, 0, null);

        var envelope = TtrpcRequestEnvelope.Parse(buffer);

        Assert.Equal(message, Google.Protobuf.WellKnownTypes.StringValue.Parser.ParseFrom(envelope.Payload));
    }

    private static string WriteResponse(StatusCode code, string? message, IReadOnlyList<ReadOnlyMemory<byte>>? details, byte[] payload)
    {
        int length = TtrpcResponseEnvelope.GetLength(code, message, details, payload.Length);
        byte[] buffer = Enumerable.Repeat((byte)0xFF, length + 4).ToArray();
        int written = TtrpcResponseEnvelope.Write(buffer, code, message, details, TtrpcPayload.FromBytes(payload));
        Assert.Equal(length, written);
        Assert.All(buffer[length..], b => Assert.Equal(0xFF, b));
        return Convert.ToHexStringLower(buffer, 0, length);
    }
}
