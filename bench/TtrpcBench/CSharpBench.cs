using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Sealpod.Rpc.Ttrpc;

namespace Sealpod.Bench.Ttrpc;

/// <summary>Measures our client against a server (ours in-process, or any server listening on a socket).</summary>
internal static class CSharpBench
{
    public const string Service = "sealpod.bench.v1.Bench";

    /// <summary>Registers the echo method the Go peer also serves.</summary>
    public static void RegisterEcho(TtrpcServer server) =>
        server.AddService(Service).AddUnary("Echo", BytesValue.Parser, (request, _) =>
            ValueTask.FromResult(new BytesValue { Value = request.Value }));

    public static async Task<BenchResult> RunAsync(string socket, BenchSettings settings, string name)
    {
        await using TtrpcClient client = await TtrpcClient.ConnectUnixAsync(
            socket, new TtrpcClientOptions { RunContinuationsAsynchronously = !settings.InlineContinuations });
        var request = new BytesValue { Value = ByteString.CopyFrom(Enumerable.Repeat((byte)0xA5, settings.PayloadBytes).ToArray()) };

        async Task Call()
        {
            BytesValue response = await client.CallAsync(Service, "Echo", request, BytesValue.Parser).ConfigureAwait(false);
            if (response.Value.Length != settings.PayloadBytes)
            {
                throw new InvalidOperationException($"echo returned {response.Value.Length} bytes, sent {settings.PayloadBytes}");
            }
        }

        for (int i = 0; i < 2000; i++)
        {
            await Call();
        }

        long[] latencies = new long[settings.SequentialCalls];
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < latencies.Length; i++)
        {
            long t = Stopwatch.GetTimestamp();
            await Call();
            latencies[i] = Stopwatch.GetTimestamp() - t;
        }

        TimeSpan sequential = Stopwatch.GetElapsedTime(started);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Array.Sort(latencies);

        long remaining = settings.ConcurrentCalls;
        started = Stopwatch.GetTimestamp();
        Task[] callers = Enumerable.Range(0, settings.Concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                await Call().ConfigureAwait(false);
            }
        })).ToArray();
        await Task.WhenAll(callers);
        TimeSpan concurrent = Stopwatch.GetElapsedTime(started);

        return new BenchResult
        {
            Implementation = name,
            PayloadBytes = settings.PayloadBytes,
            SequentialCalls = settings.SequentialCalls,
            P50Micros = Micros(latencies[latencies.Length / 2]),
            P99Micros = Micros(latencies[latencies.Length * 99 / 100]),
            SequentialCallsPerSecond = settings.SequentialCalls / sequential.TotalSeconds,
            Concurrency = settings.Concurrency,
            ConcurrentCalls = settings.ConcurrentCalls,
            ConcurrentCallsPerSecond = settings.ConcurrentCalls / concurrent.TotalSeconds,
            AllocatedBytesPerCall = allocated / settings.SequentialCalls,
        };
    }

    private static double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
}
