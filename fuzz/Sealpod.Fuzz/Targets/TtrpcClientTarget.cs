using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.Fuzz.Targets;

/// <summary>
/// The ttrpc client's side: two calls are out (stream ids 1 and 3, one raw, one decoding a Kata
/// WaitProcessResponse), then the input arrives as the server's frames. Each call ends with its response or an
/// <see cref="RpcException"/> (a status, or Unavailable when the connection ends), and the connection may only
/// have closed for malformed input.
/// </summary>
internal sealed class TtrpcClientTarget() : FuzzTarget("ttrpc-client", "ttrpc frames and response envelopes as a client reads them (src/Rpc)")
{
    public override void Run(ReadOnlySpan<byte> input)
    {
        var client = new TtrpcClient(new FuzzStream(input.ToArray(), framesBeforeInput: 2));
        try
        {
            var raw = client.CallAsync("fuzz.Echo", "Echo", new byte[] { 1, 2, 3 }).AsTask();
            var typed = client.CallAsync("grpc.AgentService", "WaitProcess", new Wire.WaitProcessRequest { ContainerId = "c" }, Wire.WaitProcessResponse.Parser).AsTask();
            Complete(raw);
            Complete(typed);
        }
        finally
        {
            client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    public override bool IsDocumented(Exception exception) => exception is RpcException;

    private static void Complete(Task call)
    {
        try
        {
            call.WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        }
        catch (RpcException e) when (e.InnerException is { } cause && cause is not (InvalidDataException or EndOfStreamException or RpcException or IOException or ObjectDisposedException))
        {
            throw new InvalidOperationException("a ttrpc call failed for an undocumented reason", cause);
        }
    }
}
