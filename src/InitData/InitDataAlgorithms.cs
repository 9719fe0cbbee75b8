namespace Sealpod.InitData;

/// <summary>Spelling and hashing of <see cref="InitDataAlgorithm"/>.</summary>
public static class InitDataAlgorithms
{
    /// <summary>The names the specification accepts, in its order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["sha256", "sha384", "sha512"];

    /// <summary>The TOML spelling.</summary>
    public static string NameOf(InitDataAlgorithm algorithm) => algorithm switch
    {
        InitDataAlgorithm.Sha256 => "sha256",
        InitDataAlgorithm.Sha384 => "sha384",
        InitDataAlgorithm.Sha512 => "sha512",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown Init-Data algorithm"),
    };

    /// <summary>Parses the exact lower-case spelling; "SHA-256" and friends are not Init-Data 0.1.0.</summary>
    public static bool TryParse(string name, out InitDataAlgorithm algorithm)
    {
        switch (name)
        {
            case "sha256":
                algorithm = InitDataAlgorithm.Sha256;
                return true;
            case "sha384":
                algorithm = InitDataAlgorithm.Sha384;
                return true;
            case "sha512":
                algorithm = InitDataAlgorithm.Sha512;
                return true;
            default:
                algorithm = default;
                return false;
        }
    }

    /// <summary>Hashes <paramref name="data"/>.</summary>
    public static byte[] Hash(InitDataAlgorithm algorithm, ReadOnlySpan<byte> data) => algorithm switch
    {
        // Managed: the guest agent computes the same digest and has no OpenSSL.
        InitDataAlgorithm.Sha256 => Hashing.Sha256.HashData(data),
        InitDataAlgorithm.Sha384 => Hashing.Sha512.HashData384(data),
        InitDataAlgorithm.Sha512 => Hashing.Sha512.HashData(data),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown Init-Data algorithm"),
    };
}
