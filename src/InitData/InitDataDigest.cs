using System.Collections.Immutable;

namespace Sealpod.InitData;

/// <summary>
/// The digest of an Init-Data document's TOML, and the fixed-size fields each TEE binds it into: the hardware copies
/// them into every attestation report, which is how a verifier learns which Init-Data the guest was started with.
/// Shorter fields take the digest's first bytes, longer ones pad it with zeros (Kata's <c>adjust_digest</c>).
/// </summary>
public sealed class InitDataDigest : IEquatable<InitDataDigest>
{
    /// <summary>SEV-SNP HOST_DATA: 32 bytes.</summary>
    public const int SnpHostDataBytes = 32;

    /// <summary>TDX MRCONFIGID: 48 bytes.</summary>
    public const int TdxMrConfigIdBytes = 48;

    private readonly ImmutableArray<byte> _value;

    /// <summary>Wraps a digest computed with <paramref name="algorithm"/>.</summary>
    public InitDataDigest(InitDataAlgorithm algorithm, ReadOnlySpan<byte> value)
    {
        Algorithm = algorithm;
        _value = [.. value];
    }

    /// <summary>The algorithm named by the document.</summary>
    public InitDataAlgorithm Algorithm { get; }

    /// <summary>The digest bytes (32, 48 or 64).</summary>
    public ReadOnlySpan<byte> Value => _value.AsSpan();

    /// <summary>Digests <paramref name="toml"/>, the document exactly as delivered to the guest.</summary>
    public static InitDataDigest Compute(InitDataAlgorithm algorithm, ReadOnlySpan<byte> toml) =>
        new(algorithm, InitDataAlgorithms.Hash(algorithm, toml));

    /// <summary>The digest fitted to <paramref name="length"/> bytes: truncated, or padded with zeros.</summary>
    public byte[] Fit(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var result = new byte[length];
        Value[..Math.Min(length, _value.Length)].CopyTo(result);
        return result;
    }

    /// <summary>SEV-SNP's HOST_DATA (QEMU <c>host-data</c>, Cloud Hypervisor <c>payload.host_data</c>).</summary>
    public byte[] ToSnpHostData() => Fit(SnpHostDataBytes);

    /// <summary>TDX's MRCONFIGID (QEMU <c>mrconfigid</c>).</summary>
    public byte[] ToTdxMrConfigId() => Fit(TdxMrConfigIdBytes);

    /// <summary>Lower-case hex of the full digest.</summary>
    public override string ToString() => $"{InitDataAlgorithms.NameOf(Algorithm)}:{Convert.ToHexStringLower(Value)}";

    /// <inheritdoc />
    public bool Equals(InitDataDigest? other) => other is not null && Algorithm == other.Algorithm && Value.SequenceEqual(other.Value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as InitDataDigest);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Algorithm, Convert.ToHexString(Value));
}
