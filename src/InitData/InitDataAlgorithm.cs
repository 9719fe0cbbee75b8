namespace Sealpod.InitData;

/// <summary>The digest algorithms Init-Data 0.1.0 allows (the TOML's <c>algorithm</c> key).</summary>
public enum InitDataAlgorithm
{
    /// <summary><c>sha256</c>: 32 bytes.</summary>
    Sha256,

    /// <summary><c>sha384</c>: 48 bytes, the size of TDX's MRCONFIGID.</summary>
    Sha384,

    /// <summary><c>sha512</c>: 64 bytes.</summary>
    Sha512,
}
