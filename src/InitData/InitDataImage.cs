namespace Sealpod.InitData;

/// <summary>
/// Kata's Init-Data disk: what the runtime attaches read-only and the guest agent reads back (Kata's
/// <c>prepareInitdataImage</c> and the agent's <c>read_initdata</c>).
/// <code>
///   offset 0   8 bytes  magic "initdata"
///   offset 8   8 bytes  length N of the gzip payload, little-endian
///   offset 16  N bytes  gzip of the Init-Data TOML
///   then zeros up to the next 512-byte sector boundary
/// </code>
/// The agent finds the disk by the magic among its block devices, so no other disk may start with it.
/// </summary>
public static class InitDataImage
{
    /// <summary>The id (and serial) runtimes give the Init-Data disk, as Kata does.</summary>
    public const string DiskId = "initdata";

    /// <summary>The magic at offset 0.</summary>
    public static ReadOnlySpan<byte> Magic => "initdata"u8;

    /// <summary>Sector size the image is padded to.</summary>
    public const int SectorSize = 512;

    /// <summary>Magic plus length field.</summary>
    public const int HeaderSize = 16;

    /// <summary>Whether <paramref name="start"/> (the first bytes of a device) begins with the magic.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> start) => start.StartsWith(Magic);

    /// <summary>The whole image for <paramref name="document"/>.</summary>
    public static byte[] Build(InitDataDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var compressed = InitDataGzip.Compress(document.Toml);
        var used = HeaderSize + compressed.Length;
        var image = new byte[(used + SectorSize - 1) / SectorSize * SectorSize];
        Magic.CopyTo(image);
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(Magic.Length), (ulong)compressed.Length);
        compressed.CopyTo(image.AsSpan(HeaderSize));
        return image;
    }

    /// <summary>Writes the image to a new file (refusing to overwrite one), flushed to disk before returning.</summary>
    public static async Task WriteFileAsync(string path, InitDataDocument document, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var image = Build(document);
        var options = PrivateFiles.ForWriting(FileMode.CreateNew);
        var stream = new FileStream(path, options);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(image, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads an image from the start of <paramref name="device"/> and returns the TOML it carries, unparsed: the exact
    /// bytes the digest is over. Padding after the payload is not read.
    /// </summary>
    /// <exception cref="InitDataException">No magic, a truncated header or payload, a length over the limit, bad gzip.</exception>
    public static async Task<byte[]> ReadTomlAsync(Stream device, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        var header = new byte[HeaderSize];
        var got = await ReadUpToAsync(device, header, cancellationToken).ConfigureAwait(false);
        if (got < Magic.Length || !HasMagic(header))
        {
            throw new InitDataException($"not an Init-Data disk: expected the magic \"initdata\" at offset 0, found {(got == 0 ? "an empty device" : Convert.ToHexStringLower(header.AsSpan(0, Math.Min(got, Magic.Length))))}");
        }

        if (got < HeaderSize)
        {
            throw new InitDataException($"Init-Data disk truncated: the 8-byte length field ends at offset {HeaderSize}, the device has {got} bytes");
        }

        var length = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(Magic.Length));
        if (length == 0 || length > InitDataLimits.MaxCompressedBytes)
        {
            throw new InitDataException($"Init-Data disk length field is {length}: expected 1 to {InitDataLimits.MaxCompressedBytes} bytes of gzip data");
        }

        var payload = new byte[(int)length];
        got = await ReadUpToAsync(device, payload, cancellationToken).ConfigureAwait(false);
        if (got < payload.Length)
        {
            throw new InitDataException($"Init-Data disk truncated: the length field says {length} bytes of gzip data follow the header, the device has {got}");
        }

        return InitDataGzip.Decompress(payload, "Init-Data disk payload");
    }

    /// <summary>Reads and validates the document on <paramref name="device"/>.</summary>
    public static async Task<InitDataDocument> ReadAsync(Stream device, CancellationToken cancellationToken = default) =>
        InitDataDocument.Parse(await ReadTomlAsync(device, cancellationToken).ConfigureAwait(false));

    private static async Task<int> ReadUpToAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
