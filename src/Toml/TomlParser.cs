using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Sealpod.Toml.Parsing;

namespace Sealpod.Toml;

/// <summary>Entry points of the TOML 1.0 parser.</summary>
public static class TomlParser
{
    /// <summary>Parses a whole TOML document. <paramref name="fileName"/> only labels positions and errors.</summary>
    /// <exception cref="TomlException">The text is not valid TOML 1.0.</exception>
    public static TomlTable Parse(string text, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new TomlDocumentParser(text, fileName).Parse();
    }

    /// <summary>
    /// Parses a document given as UTF-8 bytes (a leading byte order mark is allowed). Invalid UTF-8 is an error
    /// at the line and column of the first bad byte, never silently replaced.
    /// </summary>
    /// <exception cref="TomlException">The bytes are not UTF-8 or not valid TOML 1.0.</exception>
    public static TomlTable Parse(ReadOnlySpan<byte> utf8, string? fileName = null) =>
        Parse(DecodeUtf8(utf8, fileName), fileName);

    /// <summary>Reads and parses a file; the file's path labels errors.</summary>
    public static TomlTable ParseFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <inheritdoc cref="ParseFile(string)"/>
    public static async Task<TomlTable> ParseFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(bytes, path);
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> utf8, string? fileName)
    {
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(utf8.Length, 1));
        try
        {
            var status = Utf8.ToUtf16(utf8, chars, out var bytesRead, out var charsWritten, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                throw new TomlException(LocateByte(utf8, bytesRead, fileName), $"invalid UTF-8 (byte 0x{utf8[bytesRead]:X2} at offset {bytesRead}); TOML files must be UTF-8");
            }

            return new string(chars, 0, charsWritten);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static TomlPosition LocateByte(ReadOnlySpan<byte> utf8, int offset, string? fileName)
    {
        var before = utf8[..offset];
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        var lineBytes = before[lineStart..];

        // Columns count code points: every byte that is not a UTF-8 continuation byte starts one.
        var column = 1;
        foreach (var b in lineBytes)
        {
            if ((b & 0xC0) != 0x80)
            {
                column++;
            }
        }

        if (line == 1 && lineBytes.StartsWith("\uFEFF"u8))
        {
            column--;
        }

        return new TomlPosition(fileName, line, column);
    }
}
