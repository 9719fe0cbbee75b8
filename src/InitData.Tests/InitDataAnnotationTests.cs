using System.IO.Compression;

namespace Sealpod.InitData.Tests;

/// <summary>io.katacontainers.config.hypervisor.cc_init_data: base64 of gzip of the TOML; each layer's failure is named.</summary>
public sealed class InitDataAnnotationTests
{
    [Fact]
    public void Decodes_what_kata_users_produce_with_gzip_and_base64()
    {
        var toml = Encoding.UTF8.GetBytes(InitDataDocumentTests.KataExample);
        var value = Convert.ToBase64String(Gzip(toml));

        var document = InitDataAnnotation.Decode(value);

        Assert.True(toml.AsSpan().SequenceEqual(document.Toml));
        Assert.Equal(InitDataAlgorithm.Sha384, document.Algorithm);
    }

    [Fact]
    public void Encode_and_decode_round_trip_byte_for_byte()
    {
        var document = InitDataDocument.Parse(Encoding.UTF8.GetBytes(InitDataDocumentTests.KataExample));

        var back = InitDataAnnotation.Decode(InitDataAnnotation.Encode(document));

        Assert.True(document.Toml.SequenceEqual(back.Toml));
        Assert.Equal(document.Digest, back.Digest);
    }

    [Fact]
    public void Each_layer_fails_with_its_own_message()
    {
        Assert.Equal(
            "expected base64 of gzip-compressed Init-Data TOML, found a value that is not valid base64",
            Assert.Throws<InitDataException>(() => InitDataAnnotation.Decode("not*base64")).Message);
        Assert.Equal(
            "the base64-decoded value: expected gzip data (starting 1f 8b), found bytes starting 7665",
            Assert.Throws<InitDataException>(() => InitDataAnnotation.Decode(Convert.ToBase64String("version = \"0.1.0\""u8))).Message);
        Assert.Equal(
            "expected base64 of gzip-compressed Init-Data TOML, found an empty value",
            Assert.Throws<InitDataException>(() => InitDataAnnotation.Decode("  ")).Message);
        var truncated = Gzip(Encoding.UTF8.GetBytes(InitDataDocumentTests.KataExample))[..20];
        Assert.StartsWith(
            "the base64-decoded value: corrupt gzip data",
            Assert.Throws<InitDataException>(() => InitDataAnnotation.Decode(Convert.ToBase64String(truncated))).Message,
            StringComparison.Ordinal);
        Assert.Equal(
            "Init-Data version: expected \"0.1.0\", found nothing",
            Assert.Throws<InitDataException>(() => InitDataAnnotation.Decode(Convert.ToBase64String(Gzip("x = 1"u8.ToArray())))).Message);
    }

    [Fact]
    public void A_payload_cut_inside_its_trailer_is_refused_by_the_crc_and_length_check()
    {
        // The deflate stream is whole, so inflating succeeds; only the trailer (CRC-32, length) shows the cut.
        var cut = Gzip(Encoding.UTF8.GetBytes(InitDataDocumentTests.KataExample))[..^1];

        var e = Assert.Throws<InitDataException>(() => InitDataAnnotation.Decode(Convert.ToBase64String(cut)));

        Assert.Equal(
            "the base64-decoded value: corrupt gzip data: the CRC-32 and length trailer does not match what was inflated (truncated, or not a single gzip member)",
            e.Message);
    }

    [Fact]
    public void A_gzip_bomb_is_refused_before_it_is_inflated_whole()
    {
        // 64 MiB of zeros gzip to about 64 KiB: small enough for an annotation, far too big to inflate.
        var bomb = Gzip(new byte[64 * 1024 * 1024]);

        var e = Assert.Throws<InitDataException>(() => InitDataAnnotation.Decode(Convert.ToBase64String(bomb)));

        Assert.Equal($"the base64-decoded value: inflates to more than {InitDataLimits.MaxTomlBytes} bytes", e.Message);
    }

    internal static byte[] Gunzip(byte[] data)
    {
        using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    internal static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
