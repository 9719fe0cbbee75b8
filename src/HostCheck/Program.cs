using Sealpod.HostCheck.Cli;

namespace Sealpod.HostCheck;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        var host = new CliHost
        {
            Probe = new LinuxHostProbe(),
            ConfigLoader = new SealpodConfigLoader(),
            Out = Console.Out,
            Error = Console.Error,
            Color = !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")),
        };
        try
        {
            return await SealpodCli.RunAsync(args, host, cancellation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return 130;
        }
    }
}
