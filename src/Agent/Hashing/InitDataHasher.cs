using Sealpod.Tee.InitData;

namespace Sealpod.Agent.Hashing;

/// <summary>The Init-Data digest as the TEE binds it (the document's own algorithm over its exact bytes), hashed without OpenSSL.</summary>
internal static class InitDataHasher
{
    public static InitDataDigest Digest(InitDataDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var value = document.Algorithm switch
        {
            InitDataAlgorithm.Sha256 => ManagedSha256.HashData(document.Toml),
            InitDataAlgorithm.Sha384 => ManagedSha512.HashData384(document.Toml),
            InitDataAlgorithm.Sha512 => ManagedSha512.HashData(document.Toml),
            _ => throw new ArgumentOutOfRangeException(nameof(document), document.Algorithm, "unknown Init-Data algorithm"),
        };
        return new InitDataDigest(document.Algorithm, value);
    }
}
