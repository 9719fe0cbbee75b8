using System.Runtime.Versioning;
using Sealpod.Bench.Cri;

[assembly: SupportedOSPlatform("linux")]

// `CriBench demo [--handler sealpod]`: the Kubernetes path, shown (make run).
// `CriBench bench [--rounds N]`: RunPodSandbox to the first HTTP byte, runc and sealpod in one run (make bench-cri).
// `CriBench soak [--pods N] [--rounds R]`: N pods at once, exercised and removed, R rounds; nothing may be left (make soak).
// `CriBench pull [--rounds N] [--layers L] [--layer-mib M]`: first container start of a registry image pulled on the host
// (runc), on the host and in the guest (force pull) and in the guest only (sealpod-snapshotter) (make bench-pull).
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
        CriBenchMode.Pull => await PullBenchmark.RunAsync(options, cancel.Token),
        _ => await Benchmark.RunAsync(options, cancel.Token),
    };
}
catch (ArgumentException error)
{
    Console.Error.WriteLine($"CriBench: {error.Message}");
    Console.Error.WriteLine("usage: CriBench demo [--handler runc|sealpod] | CriBench bench [--rounds N] [--handlers runc,sealpod] | CriBench soak [--pods N] [--rounds R] [--handler sealpod] | CriBench pull [--rounds N] [--layers L] [--layer-mib M]");
    return 2;
}
