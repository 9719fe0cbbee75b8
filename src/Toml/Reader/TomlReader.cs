using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Sealpod.Config.Toml;

/// <summary>
/// Reads TOML with Tomlyn (TOML 1.1, a superset of TOML 1.0) into <see cref="TomlTable"/>s that remember where
/// each key and value was written. Uses Tomlyn's syntax tree, not its reflection-based serializer, so it is trim and
/// NativeAOT safe (the guest agent reads Init-Data with it).
/// </summary>
public static class TomlReader
{
    /// <summary>Reads a whole document. <paramref name="fileName"/> only labels positions and errors.</summary>
    /// <exception cref="TomlException">The text is not valid TOML; lists every error Tomlyn found.</exception>
    public static TomlTable Parse(string text, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        DocumentSyntax document;
        try
        {
            document = SyntaxParser.Parse(text, fileName, validate: true);
        }
        catch (Tomlyn.TomlException e)
        {
            // Tomlyn throws only for its nesting guard (64 levels of arrays and inline tables), without a position.
            var position = e.Span is { } span
                ? new TomlPosition(fileName, span.Start.Line + 1, span.Start.Column + 1)
                : new TomlPosition(fileName, 1, 1);
            throw new TomlException(position, "arrays and inline tables are nested too deep (Tomlyn reads at most 64 levels)");
        }
        catch (ArgumentOutOfRangeException)
        {
            // Tomlyn's lexer, reporting a bad escape such as a string ending in '\', formats the character it found with
            // char.ConvertFromUtf32, which throws for what is not a Unicode scalar (found by fuzzing, target initdata).
            throw new TomlException(new TomlPosition(fileName, 1, 1), "a string holds an escape sequence that is not valid TOML");
        }

        if (document.HasErrors)
        {
            throw new TomlException([.. document.Diagnostics
                .Where(d => d.Kind == DiagnosticMessageKind.Error)
                .Select(d => new TomlError(new TomlPosition(fileName, d.Span.Start.Line + 1, d.Span.Start.Column + 1), d.Message))]);
        }

        return SyntaxTreeReader.Read(document, fileName);
    }

    /// <summary>
    /// Reads a document given as UTF-8 bytes (a leading byte order mark is allowed). Invalid UTF-8 is an error at the
    /// line and column of the first bad byte, never silently replaced.
    /// </summary>
    /// <exception cref="TomlException">The bytes are not UTF-8 or not valid TOML.</exception>
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
        // The byte order mark is dropped here so it takes no column; offsets in messages still count it.
        var bom = utf8.StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        utf8 = utf8[bom..];

        var chars = ArrayPool<char>.Shared.Rent(Math.Max(utf8.Length, 1));
        try
        {
            var status = Utf8.ToUtf16(utf8, chars, out var bytesRead, out var charsWritten, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                throw new TomlException(LocateByte(utf8, bytesRead, fileName), $"invalid UTF-8 (byte 0x{utf8[bytesRead]:X2} at offset {bom + bytesRead}); TOML files must be UTF-8");
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

        // Columns count code points, as Tomlyn's do: every byte that is not a UTF-8 continuation byte starts one.
        var column = 1;
        foreach (var b in before[lineStart..])
        {
            if ((b & 0xC0) != 0x80)
            {
                column++;
            }
        }

        return new TomlPosition(fileName, line, column);
    }
}
