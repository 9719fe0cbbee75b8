using Sealpod.Linux.Native;

namespace Sealpod.Fuzz.Targets;

/// <summary>
/// The layer unpacker over a tar stream (the first byte picks plain, gzip or zstd), into a scratch directory of this
/// process that the target removes after each input. Next to it sits a canary directory: an entry that reaches it
/// (<c>..</c>, an absolute name, a symbolic or hard link planted by an earlier entry) is an escape, and fails the
/// run as a crash even when the unpacker then refuses the layer. Documented: what the image store maps to the pull's
/// error (InvalidDataException, IOException, SystemCallException, UnauthorizedAccessException).
/// </summary>
internal sealed class ImageTarTarget() : FuzzTarget("image-tar", "layer unpacker: tar (+gzip/zstd), whiteouts, path and link escapes (src/Agent/Images)")
{
    private static readonly LayerCompression[] Compressions = [LayerCompression.None, LayerCompression.Gzip, LayerCompression.Zstd];

    private readonly string _scratch = Path.Combine(Path.GetTempPath(), $"sealpod-fuzz-tar-{Environment.ProcessId}");

    private string Layer => Path.Combine(_scratch, "layer");

    private string Outside => Path.Combine(_scratch, "outside");

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        Prepare();
        try
        {
            using var stream = new MemoryStream(input[1..].ToArray(), writable: false);
            LayerUnpacker.UnpackAsync(stream, Compressions[input[0] % Compressions.Length], Layer, "sha256:fuzz", CancellationToken.None).GetAwaiter().GetResult();
        }
        finally
        {
            try
            {
                CheckNothingEscaped();
            }
            finally
            {
                // All of it, each input: the process may end at any input and must leave nothing in /tmp.
                Directory.Delete(_scratch, recursive: true);
            }
        }
    }

    public override bool IsDocumented(Exception exception) =>
        exception is InvalidDataException or IOException or SystemCallException or UnauthorizedAccessException;

    private void Prepare()
    {
        if (Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }

        Directory.CreateDirectory(Layer);
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Outside, "canary"), "canary");
    }

    private void CheckNothingEscaped()
    {
        var beside = Directory.GetFileSystemEntries(_scratch).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        var inside = Directory.GetFileSystemEntries(Outside).Select(Path.GetFileName);
        var canary = new FileInfo(Path.Combine(Outside, "canary"));
        if (!beside.SequenceEqual(["layer", "outside"]) || !inside.SequenceEqual(["canary"])
            || canary.LinkTarget is not null || File.ReadAllText(canary.FullName) != "canary" || new DirectoryInfo(Layer).LinkTarget is not null)
        {
            throw new EscapeException($"a layer entry wrote outside the layer directory ({string.Join(", ", beside)}; outside: {string.Join(", ", inside)})");
        }
    }

    /// <summary>Never documented: an escape is a security bug, whatever the unpacker does next.</summary>
    private sealed class EscapeException(string message) : Exception(message);
}
