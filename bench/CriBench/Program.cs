using System.Runtime.Versioning;
using Sealpod.Bench.Cri;

[assembly: SupportedOSPlatform("linux")]

// `CriBench demo [--handler sealpod]`: the Kubernetes path, shown (make run).
// `CriBench bench [--rounds N]`: RunPodSandbox to the first HTTP byte, runc and sealpod in one run (make bench-cri).
// `CriBench soak [--pods N] [--rounds R]`: N pods at once, exercised and removed, R rounds; nothing may be left (make soak).
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    var options = CriBenchOptions.Parse(args);
    return options.Mode switch
    {
        CriBenchMode.Demo => await Demo.RunAsync(options, cancel.Token),
        CriBenchMode.Soak => await Soak.RunAsync(options, cancel.Token),
        _ => await Benchmark.RunAsync(options, cancel.Token),
    };
}
catch (ArgumentException error)
{
    Console.Error.WriteLine($"CriBench: {error.Message}");
    Console.Error.WriteLine("usage: CriBench demo [--handler runc|sealpod] | CriBench bench [--rounds N] [--handlers runc,sealpod] | CriBench soak [--pods N] [--rounds R] [--handler sealpod]");
    return 2;
}
