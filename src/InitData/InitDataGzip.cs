using System.IO.Compression;
using System.IO.Hashing;

namespace Sealpod.InitData;

/// <summary>gzip in and out, with the inflated size bounded.</summary>
internal static class InitDataGzip
{
    public static byte[] Compress(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <exception cref="InitDataException">Not gzip, truncated, or inflating past <see cref="InitDataLimits.MaxTomlBytes"/>.</exception>
    public static byte[] Decompress(ReadOnlySpan<byte> compressed, string what)
    {
        if (compressed.Length < 2 || compressed[0] != 0x1F || compressed[1] != 0x8B)
        {
            throw new InitDataException($"{what}: expected gzip data (starting 1f 8b), found {(compressed.Length == 0 ? "nothing" : $"bytes starting {Convert.ToHexStringLower(compressed[..Math.Min(2, compressed.Length)])}")}");
        }

        using var input = new MemoryStream(compressed.ToArray(), writable: false);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = gzip.Read(buffer)) > 0)
            {
                if (output.Length + read > InitDataLimits.MaxTomlBytes)
                {
                    throw new InitDataException($"{what}: inflates to more than {InitDataLimits.MaxTomlBytes} bytes");
                }

                output.Write(buffer, 0, read);
            }
        }
        catch (InvalidDataException e)
        {
            throw new InitDataException($"{what}: corrupt gzip data: {e.Message}", e);
        }

        // GZipStream stops quietly at the end of truncated input, so the trailer (CRC-32 and length of what was
        // inflated) is checked here: a cut-off payload would otherwise parse as a shorter document.
        var inflated = output.ToArray();
        var trailer = compressed[^Math.Min(8, compressed.Length)..];
        if (trailer.Length < 8
            || BinaryPrimitives.ReadUInt32LittleEndian(trailer) != Crc32.HashToUInt32(inflated)
            || BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]) != unchecked((uint)inflated.Length))
        {
            throw new InitDataException($"{what}: corrupt gzip data: the CRC-32 and length trailer does not match what was inflated (truncated, or not a single gzip member)");
        }

        return inflated;
    }
}
