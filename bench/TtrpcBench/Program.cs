using System.Runtime.Versioning;
using Sealpod.Bench.Ttrpc;
using Sealpod.Rpc.Ttrpc;

[assembly: SupportedOSPlatform("linux")]

// Unary ttrpc round trips over a unix socket: sequential latency (p50/p99) and calls per second with
// many callers on one connection, for our C# client+server and containerd's Go client+server, plus
// the two mixed pairings. Each pairing runs several rounds; the best round is reported.
BenchSettings settings = BenchSettings.Parse(args);
string directory = Directory.CreateTempSubdirectory("sp-bench-").FullName;
var results = new List<BenchResult>();
GoBench? go = null;
try
{
    Console.Error.WriteLine($"payload {settings.PayloadBytes} B, {settings.SequentialCalls} sequential calls, " +
        $"{settings.ConcurrentCalls} calls from {settings.Concurrency} concurrent callers, best of {settings.Rounds} rounds");

    string ours = Path.Combine(directory, "cs.sock");
    await using (var server = new TtrpcServer())
    {
        CSharpBench.RegisterEcho(server);
        using var stop = new CancellationTokenSource();
        Task serving = server.ServeUnixAsync(ours, stop.Token);
        results.Add(await BestOf(settings, () => CSharpBench.RunAsync(ours, settings, "c#-client/c#-server")));

        if (!settings.SkipGo)
        {
            go = new GoBench();
            go.Build(settings.GoSource);
            results.Add(await BestOf(settings, () => Task.FromResult(go.Run(settings, "bench-client", "-socket", ours) with { Implementation = "go-client/c#-server" })));
        }

        await stop.CancelAsync();
        await serving;
    }

    if (go is not null)
    {
        results.Add(await BestOf(settings, () => Task.FromResult(go.Run(settings, "bench"))));
        string theirs = Path.Combine(directory, "go.sock");
        using Process goServer = go.StartServer(theirs);
        try
        {
            results.Add(await BestOf(settings, () => CSharpBench.RunAsync(theirs, settings, "c#-client/go-server")));
        }
        finally
        {
            goServer.Kill();
            goServer.WaitForExit();
        }
    }
}
finally
{
    go?.Dispose();
    Directory.Delete(directory, recursive: true);
}

Console.WriteLine($"{"pairing",-22} {"p50 us",8} {"p99 us",8} {"seq calls/s",12} {"concurrent calls/s",19} {"B/call",7}");
foreach (BenchResult r in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{r.Implementation,-22} {r.P50Micros,8:F1} {r.P99Micros,8:F1} {r.SequentialCallsPerSecond,12:F0} {r.ConcurrentCallsPerSecond,19:F0} {r.AllocatedBytesPerCall?.ToString(CultureInfo.InvariantCulture) ?? "-",7}"));
}

Console.WriteLine(JsonSerializer.Serialize(results, BenchResult.JsonOptions));
return 0;

static async Task<BenchResult> BestOf(BenchSettings settings, Func<Task<BenchResult>> run)
{
    BenchResult? best = null;
    for (int round = 0; round < settings.Rounds; round++)
    {
        BenchResult result = await run();
        Console.Error.WriteLine($"  {result.Implementation} round {round + 1}: {result.ConcurrentCallsPerSecond:F0} concurrent calls/s, p50 {result.P50Micros:F1} us");
        if (best is null || result.ConcurrentCallsPerSecond > best.ConcurrentCallsPerSecond)
        {
            best = result;
        }
    }

    return best!;
}
