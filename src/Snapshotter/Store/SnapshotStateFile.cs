using System.Text.Json;

namespace Sealpod.Snapshotter.Store;

/// <summary>
/// The state as one JSON file in the root, replaced atomically (write beside, fsync, rename) after every change, so a
/// crash leaves either the old or the new state, never half of one.
/// </summary>
public sealed class SnapshotStateFile(string path)
{
    public string Path { get; } = path;

    public async Task<SnapshotState> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return SnapshotState.Empty;
        }

        await using var stream = File.OpenRead(Path);
        try
        {
            return await JsonSerializer.DeserializeAsync(stream, SnapshotStateJson.Default.SnapshotState, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"{Path}: expected a JSON object with NextId and Snapshots, found null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Path}: not a snapshotter state file: {e.Message}", e);
        }
    }

    public async Task SaveAsync(SnapshotState state, CancellationToken cancellationToken)
    {
        string temporary = Path + ".tmp";
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
        {
            await JsonSerializer.SerializeAsync(stream, state, SnapshotStateJson.Default.SnapshotState, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        File.Move(temporary, Path, overwrite: true);
    }
}
