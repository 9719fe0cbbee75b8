using System.Diagnostics;

namespace Sealpod.IntegrationTests;

/// <summary>
/// The built <c>sealpod-snapshotter</c> (src/Snapshotter's output for this configuration, or
/// <c>$SEALPOD_SNAPSHOTTER_BINARY</c>) running with a root and a socket under a directory of the test's.
/// Disposing kills it.
/// </summary>
public sealed class SnapshotterProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SnapshotterProcess(Process process, string root, string socket)
    {
        _process = process;
        Root = root;
        Socket = socket;
    }

    public string Root { get; }

    public string Socket { get; }

    public string SnapshotsDirectory => Path.Combine(Root, "snapshots");

    public static string Binary =>
        Environment.GetEnvironmentVariable("SEALPOD_SNAPSHOTTER_BINARY") is { Length: > 0 } chosen
            ? chosen
            : Repository.Combine("src", "Snapshotter", "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "sealpod-snapshotter");

    public static async Task<SnapshotterProcess> StartAsync(string directory, CancellationToken cancellationToken)
    {
        string root = Path.Combine(directory, "root");
        string socket = Path.Combine(directory, "snapshotter.sock");
        var start = new ProcessStartInfo(Binary, ["--root", root, "--address", socket])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{Binary} did not start");
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var snapshotter = new SnapshotterProcess(process, root, socket);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!File.Exists(socket))
        {
            if (process.HasExited || DateTime.UtcNow >= deadline)
            {
                await snapshotter.DisposeAsync();
                throw new InvalidOperationException($"{Binary} did not serve {socket} within 30 s: {(process.HasExited ? await stderr : "still running")}");
            }

            await Task.Delay(100, cancellationToken);
        }

        return snapshotter;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
