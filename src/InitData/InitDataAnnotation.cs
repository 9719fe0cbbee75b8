namespace Sealpod.InitData;

/// <summary>
/// The <c>io.katacontainers.config.hypervisor.cc_init_data</c> annotation: standard base64 of a gzip stream holding the
/// Init-Data TOML.
/// </summary>
public static class InitDataAnnotation
{
    /// <summary>The annotation's name.</summary>
    public const string Name = "io.katacontainers.config.hypervisor.cc_init_data";

    /// <summary>Decodes, inflates, parses and validates the annotation's value.</summary>
    /// <exception cref="InitDataException">Each layer's failure, saying which layer.</exception>
    public static InitDataDocument Decode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            throw new InitDataException("expected base64 of gzip-compressed Init-Data TOML, found an empty value");
        }

        if (trimmed.Length / 4 * 3 > InitDataLimits.MaxCompressedBytes)
        {
            throw new InitDataException($"the value is larger than {InitDataLimits.MaxCompressedBytes} bytes of gzip data");
        }

        byte[] compressed;
        try
        {
            compressed = Convert.FromBase64String(trimmed);
        }
        catch (FormatException)
        {
            throw new InitDataException("expected base64 of gzip-compressed Init-Data TOML, found a value that is not valid base64");
        }

        return InitDataDocument.Parse(InitDataGzip.Decompress(compressed, "the base64-decoded value"));
    }

    /// <summary>The annotation value for <paramref name="document"/>.</summary>
    public static string Encode(InitDataDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return Convert.ToBase64String(InitDataGzip.Compress(document.Toml));
    }
}
