namespace Sealpod.CriHarness;

/// <summary>
/// A <c>sealpod-snapshotter</c> (<see cref="CriHarnessPaths.SnapshotterBinary"/>) running with a root and a socket
/// under a directory of the caller's (a test's, the pull benchmark's). Disposing kills it.
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

    public static async Task<SnapshotterProcess> StartAsync(string binary, string directory, CancellationToken cancellationToken)
    {
        string root = Path.Combine(directory, "root");
        string socket = Path.Combine(directory, "snapshotter.sock");
        var start = new ProcessStartInfo(binary, ["--root", root, "--address", socket])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start");
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var snapshotter = new SnapshotterProcess(process, root, socket);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!File.Exists(socket))
        {
            if (process.HasExited || DateTime.UtcNow >= deadline)
            {
                await snapshotter.DisposeAsync();
                throw new InvalidOperationException($"{binary} did not serve {socket} within 30 s: {(process.HasExited ? await stderr : "still running")}");
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
