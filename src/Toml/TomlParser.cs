namespace Sealpod.Toml;

/// <summary>Entry points of the TOML 1.0 parser.</summary>
public static partial class TomlParser
{
    /// <summary>Parses a whole TOML document. <paramref name="fileName"/> only labels positions and errors.</summary>
    /// <exception cref="TomlException">The text is not valid TOML 1.0.</exception>
    public static TomlTable Parse(string text, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        throw new NotImplementedException("TOML parser is being written");
    }

    /// <summary>Reads and parses a file; the file's path labels errors.</summary>
    public static TomlTable ParseFile(string path)
    {
        // TOML is UTF-8 only; invalid UTF-8 is an error, not a replacement character.
        var bytes = File.ReadAllBytes(path);
        string text;
        try
        {
            text = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new TomlException(new TomlPosition(path, 1, 1), $"file is not valid UTF-8 ({e.Message})");
        }

        return Parse(text, path);
    }
}
