using Sealpod.InitData.Hashing;

namespace Sealpod.Agent.Images;

/// <summary>
/// A content digest, <c>sha256:&lt;64 lower-case hex&gt;</c>: the only algorithm registries and image-rs use in practice.
/// Hashing uses Init-Data's own SHA-256 because .NET's would need libssl, which the guest does not carry.
/// </summary>
internal readonly record struct BlobDigest(string Hex)
{
    public const string Prefix = "sha256:";

    /// <summary>A descriptor's digest; JSON <c>"digest": null</c> arrives here as null (found by fuzzing).</summary>
    public static BlobDigest Parse(string? text, string image)
    {
        if (text is null)
        {
            throw new ImagePullException(image, "a descriptor has no digest (expected sha256:<64 lower-case hex digits>)");
        }

        if (!text.StartsWith(Prefix, StringComparison.Ordinal) || text.Length != Prefix.Length + 64
            || !text.AsSpan(Prefix.Length).ContainsOnlyAsciiHexLower())
        {
            throw new ImagePullException(image, $"digest '{text}' is not sha256:<64 lower-case hex digits>");
        }

        return new BlobDigest(text[Prefix.Length..]);
    }

    public static BlobDigest Of(ReadOnlySpan<byte> content) => FromHash(Sha256.HashData(content));

    public static BlobDigest FromHash(byte[] hash) => new(Convert.ToHexStringLower(hash));

    public override string ToString() => Prefix + Hex;
}

internal static class HexSpanExtensions
{
    public static bool ContainsOnlyAsciiHexLower(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }
}
