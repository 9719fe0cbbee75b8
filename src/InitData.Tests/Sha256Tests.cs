using Sealpod.InitData.Hashing;

namespace Sealpod.InitData.Tests;

public sealed class Sha256Tests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void Matches_the_fips_180_examples(string text, string expected) =>
        Assert.Equal(expected, Convert.ToHexStringLower(Sha256.HashData(System.Text.Encoding.ASCII.GetBytes(text))));

    [Fact]
    public void Matches_the_platform_hash_for_every_length_and_any_chunking()
    {
        var random = new Random(42);
        var hasher = new Sha256();
        for (int length = 0; length < 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            int offset = 0;
            while (offset < length)
            {
                int chunk = Math.Min(random.Next(1, 80), length - offset);
                hasher.Append(data.AsSpan(offset, chunk));
                offset += chunk;
            }

            Assert.Equal(System.Security.Cryptography.SHA256.HashData(data), hasher.GetHashAndReset());
        }
    }
}
