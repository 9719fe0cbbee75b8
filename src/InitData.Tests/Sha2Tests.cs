using Sealpod.InitData.Hashing;

namespace Sealpod.InitData.Tests;

/// <summary>The managed SHA-2 (which the guest agent uses) against FIPS 180-4's examples and against .NET's (OpenSSL on the host) at every padding boundary.</summary>
public sealed class Sha2Tests
{
    [Fact]
    public void The_fips_examples_hash_to_the_published_values()
    {
        var abc = "abc"u8;
        var twoBlocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"u8;

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(Sha256.HashData(abc)));
        Assert.Equal("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", Convert.ToHexStringLower(Sha256.HashData(twoBlocks)));
        Assert.Equal(
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
            Convert.ToHexStringLower(Sha512.HashData384(abc)));
        Assert.Equal(
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            Convert.ToHexStringLower(Sha512.HashData(abc)));
    }

    [Fact]
    public void Every_length_across_the_padding_boundaries_matches_the_platform_hash()
    {
        var data = new byte[1000];
        new Random(180_4).NextBytes(data);
        for (var length = 0; length <= 300; length++)
        {
            var input = data.AsSpan(0, length);
            Assert.True(SHA256.HashData(input).AsSpan().SequenceEqual(Sha256.HashData(input)), $"SHA-256 of {length} bytes");
            Assert.True(SHA384.HashData(input).AsSpan().SequenceEqual(Sha512.HashData384(input)), $"SHA-384 of {length} bytes");
            Assert.True(SHA512.HashData(input).AsSpan().SequenceEqual(Sha512.HashData(input)), $"SHA-512 of {length} bytes");
        }

        Assert.Equal(SHA512.HashData(data), Sha512.HashData(data));
        Assert.Equal(SHA256.HashData(data), Sha256.HashData(data));
    }

    [Theory]
    [InlineData(InitDataAlgorithm.Sha256)]
    [InlineData(InitDataAlgorithm.Sha384)]
    [InlineData(InitDataAlgorithm.Sha512)]
    public void The_init_data_digest_is_the_platform_hash_of_the_document(InitDataAlgorithm algorithm)
    {
        var document = InitDataDocument.Create(algorithm, new Dictionary<string, string> { ["aa.toml"] = "[token_configs.kbs]\nurl = \"http://192.0.2.1:8080\"\n" });

        byte[] platform = algorithm switch
        {
            InitDataAlgorithm.Sha256 => SHA256.HashData(document.Toml),
            InitDataAlgorithm.Sha384 => SHA384.HashData(document.Toml),
            _ => SHA512.HashData(document.Toml),
        };

        Assert.Equal(new InitDataDigest(algorithm, platform), document.Digest);
    }
}
