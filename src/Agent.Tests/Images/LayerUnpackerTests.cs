namespace Sealpod.Agent.Tests.Images;

/// <summary>
/// Layer bytes the unpacker must refuse with InvalidDataException naming the layer (which the image store turns into
/// the pull's error) or IOException (a cut stream), found by the image-tar fuzz target: before, each escaped as another exception type. Root: the
/// entries before the bad one are unpacked with their owners (lchown, mknod).
/// </summary>
[Trait(TestCategories.Name, TestCategories.Root)]
public sealed class LayerUnpackerTests : TempDirectoryTest
{
    private const string Layer = "sha256:test";

    /// <summary>The fuzzer's inputs (fuzz/corpus/image-tar/crash-*: a first byte for the compression, then the layer).</summary>
    public static TheoryData<string> CrashInputs =>
        [.. Directory.GetFiles(Repository.Combine("fuzz", "corpus", "image-tar"), "crash-*").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(CrashInputs))]
    public async Task FuzzedLayerIsRefusedAsAnInvalidLayer(string name)
    {
        // Found by image-tar: a PAX mtime out of range (OverflowException), an extended header's size
        // (InvalidOperationException), a bad zstd frame (ZstdException), a symbolic link with an empty target or a
        // NUL in it (ArgumentException from File.CreateSymbolicLink).
        var input = File.ReadAllBytes(Repository.Combine("fuzz", "corpus", "image-tar", name));
        LayerCompression[] compressions = [LayerCompression.None, LayerCompression.Gzip, LayerCompression.Zstd];
        using var stream = new MemoryStream(input[1..]);
        var error = await Record.ExceptionAsync(() => LayerUnpacker.UnpackAsync(stream, compressions[input[0] % 3], Target, Layer, CancellationToken.None));
        Assert.True(error is InvalidDataException or IOException, $"{name}: {error}");
    }

    private string Target => Directory.CreateDirectory(Path.Combine(Temp.Path, "layer")).FullName;
}
