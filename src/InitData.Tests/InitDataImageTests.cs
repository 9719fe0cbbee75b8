using System.Buffers.Binary;
using CliWrap;
using CliWrap.Buffered;
using Sealpod.InitData.Tests.TestSupport;

namespace Sealpod.InitData.Tests;

/// <summary>Kata's Init-Data disk: "initdata", u64 LE length, gzip TOML, zero padding to 512-byte sectors.</summary>
public sealed class InitDataImageTests
{
    private static readonly InitDataDocument Document = InitDataDocument.Parse(Encoding.UTF8.GetBytes(InitDataDocumentTests.KataExample));

    [Fact]
    public void The_image_has_the_magic_the_length_the_payload_and_sector_padding()
    {
        var image = InitDataImage.Build(Document);

        Assert.Equal("initdata"u8.ToArray(), image[..8]);
        var length = BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(8, 8));
        Assert.Equal(0x1F, image[16]);
        Assert.Equal(0x8B, image[17]);
        Assert.Equal(0, image.Length % 512);
        Assert.True(image.Length - 512 < 16 + (int)length, "no more than one sector of padding");
        Assert.All(image[(16 + (int)length)..], b => Assert.Equal(0, b));
        Assert.Equal(Document.Toml.ToArray(), InitDataAnnotationTests.Gunzip(image.AsSpan(16, (int)length).ToArray()));
    }

    [Fact]
    public async Task Writer_then_reader_round_trips_the_document_and_its_digest()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("initdata.img");

        await InitDataImage.WriteFileAsync(path, Document);
        await using var file = File.OpenRead(path);
        var back = await InitDataImage.ReadAsync(file);

        Assert.True(Document.Toml.SequenceEqual(back.Toml));
        Assert.Equal(Document.Digest, back.Digest);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        await Assert.ThrowsAsync<IOException>(() => InitDataImage.WriteFileAsync(path, Document));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(512)]
    public async Task The_reader_copes_with_a_device_that_returns_short_reads(int chunk)
    {
        var image = InitDataImage.Build(Document);

        var toml = await InitDataImage.ReadTomlAsync(new TrickleStream(image, chunk));

        Assert.Equal(Document.Toml.ToArray(), toml);
    }

    [Fact]
    public async Task Data_after_the_payload_is_ignored_like_the_rest_of_a_larger_disk()
    {
        var image = InitDataImage.Build(Document).Concat(RandomNumberGenerator.GetBytes(4096)).ToArray();

        var toml = await InitDataImage.ReadTomlAsync(new MemoryStream(image));

        Assert.Equal(Document.Toml.ToArray(), toml);
    }

    public static TheoryData<byte[], string> Broken => new()
    {
        { [], "not an Init-Data disk: expected the magic \"initdata\" at offset 0, found an empty device" },
        { [.. "LUKS"u8, 0xBA, 0xBE, .. "foobar"u8], "not an Init-Data disk: expected the magic \"initdata\" at offset 0, found 4c554b53babe666f" },
        { "in"u8.ToArray(), "not an Init-Data disk: expected the magic \"initdata\" at offset 0, found 696e" },
        { [.. "initdata"u8, 1, 0], "Init-Data disk truncated: the 8-byte length field ends at offset 16, the device has 10 bytes" },
        { [.. "initdata"u8, 0, 0, 0, 0, 0, 0, 0, 0x10], "Init-Data disk length field is 1152921504606846976: expected 1 to 4194304 bytes of gzip data" },
        { [.. "initdata"u8, 0, 0, 0, 0, 0, 0, 0, 0], "Init-Data disk length field is 0: expected 1 to 4194304 bytes of gzip data" },
        { [.. "initdata"u8, 100, 0, 0, 0, 0, 0, 0, 0, 0x1F, 0x8B], "Init-Data disk truncated: the length field says 100 bytes of gzip data follow the header, the device has 2" },
        { [.. "initdata"u8, 4, 0, 0, 0, 0, 0, 0, 0, .. "toml"u8], "Init-Data disk payload: expected gzip data (starting 1f 8b), found bytes starting 746f" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task Broken_disks_are_refused_with_what_is_wrong(byte[] device, string message)
    {
        var e = await Assert.ThrowsAsync<InitDataException>(() => InitDataImage.ReadTomlAsync(new MemoryStream(device)));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Has_magic_is_what_a_guest_scans_its_disks_with()
    {
        Assert.True(InitDataImage.HasMagic(InitDataImage.Build(Document)));
        Assert.False(InitDataImage.HasMagic(new byte[512]));
        Assert.False(InitDataImage.HasMagic("initdat"u8));
    }

    [Fact]
    public async Task Python_reads_our_image_and_we_read_an_image_built_with_katas_padding_rule()
    {
        // An independent reader and writer (Python's zlib), following Kata's Go writer byte for byte, including its
        // quirk of adding a whole sector when the payload already ends on a boundary.
        using var dir = new TempDirectory();
        var ours = dir.Combine("ours.img");
        var theirs = dir.Combine("kata.img");
        var tomlFile = dir.Write("initdata.toml", Document.Toml.ToArray());
        await InitDataImage.WriteFileAsync(ours, Document);

        var output = await RunPythonAsync(
            """
            import gzip, hashlib, struct, sys
            ours, theirs, toml_path = sys.argv[1:4]
            data = open(ours, 'rb').read()
            assert data[:8] == b'initdata', data[:8]
            (n,) = struct.unpack('<Q', data[8:16])
            print(hashlib.sha384(gzip.decompress(data[16:16 + n])).hexdigest())
            payload = gzip.compress(open(toml_path, 'rb').read())
            padding = b'\0' * (512 - ((16 + len(payload)) % 512))
            open(theirs, 'wb').write(b'initdata' + struct.pack('<Q', len(payload)) + payload + padding)
            """,
            ours, theirs, tomlFile);

        Assert.Equal(Convert.ToHexStringLower(Document.Digest.Value), output.Trim());
        await using var kata = File.OpenRead(theirs);
        var read = await InitDataImage.ReadAsync(kata);
        Assert.Equal(Document.Digest, read.Digest);
    }

    private static async Task<string> RunPythonAsync(string script, params string[] args)
    {
        var python = await Cli.Wrap("python3")
            .WithArguments(["-c", script, .. args])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        Assert.True(python.IsSuccess, python.StandardError);
        return python.StandardOutput;
    }
}
