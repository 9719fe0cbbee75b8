namespace Sealpod.Tee.Measurement;

/// <summary>
/// The SEV-SNP ID authentication information (SNP firmware ABI, "ID_AUTH", 4096 bytes): the ID block's ECDSA P-384
/// signature with the ID key, the ID key, and optionally the ID key signed by an author key with the author key.
/// The attestation report carries SHA-384 digests of both public keys (<see cref="KeyDigest"/>).
/// </summary>
/// <remarks>
/// Layout: ID_KEY_ALGO 0x000 (u32, 1 = ECDSA P-384 with SHA-384) | AUTH_KEY_ALGO 0x004 | ID_BLOCK_SIG 0x040 (512) |
/// ID_KEY 0x240 (1028) | ID_KEY_SIG 0x680 (512) | AUTHOR_KEY 0x880 (1028). A signature is R and S, each 72 bytes
/// little-endian, then zeros; a public key is CURVE (u32, 2 = P-384), QX and QY, each 72 bytes little-endian, then zeros.
/// </remarks>
public static class SnpIdAuth
{
    /// <summary>The structure's size.</summary>
    public const int Size = 4096;

    /// <summary>ECDSA P-384 with SHA-384.</summary>
    public const uint EcdsaP384Sha384 = 1;

    /// <summary>The ABI's curve id for P-384.</summary>
    public const uint CurveP384 = 2;

    /// <summary>Offsets of the fields (ABI table "ID_AUTH").</summary>
    public const int IdBlockSignatureOffset = 0x40;

    /// <inheritdoc cref="IdBlockSignatureOffset"/>
    public const int IdKeyOffset = 0x240;

    /// <inheritdoc cref="IdBlockSignatureOffset"/>
    public const int IdKeySignatureOffset = 0x680;

    /// <inheritdoc cref="IdBlockSignatureOffset"/>
    public const int AuthorKeyOffset = 0x880;

    /// <summary>A public key's size in the ABI's format.</summary>
    public const int PublicKeySize = 1028;

    /// <summary>A signature's size in the ABI's format.</summary>
    public const int SignatureSize = 512;

    private const int ComponentSize = 72;
    private const int P384Size = 48;

    /// <summary>Signs <paramref name="idBlock"/> with <paramref name="idKey"/> (and the ID key with <paramref name="authorKey"/>, if any).</summary>
    /// <exception cref="MeasurementException">A key is not ECDSA P-384.</exception>
    public static byte[] Create(ReadOnlySpan<byte> idBlock, ECDsa idKey, ECDsa? authorKey = null)
    {
        ArgumentNullException.ThrowIfNull(idKey);
        if (idBlock.Length != SnpIdBlock.Size)
        {
            throw new MeasurementException($"an SNP ID block is {SnpIdBlock.Size} bytes, not {idBlock.Length}");
        }

        var auth = new byte[Size];
        var span = auth.AsSpan();
        var idPublic = PublicKey(idKey, "ID key");
        BinaryPrimitives.WriteUInt32LittleEndian(span, EcdsaP384Sha384);
        Sign(idKey, idBlock).CopyTo(span[IdBlockSignatureOffset..]);
        idPublic.CopyTo(span[IdKeyOffset..]);
        if (authorKey is not null)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[4..], EcdsaP384Sha384);
            var authorPublic = PublicKey(authorKey, "author key");
            Sign(authorKey, idPublic).CopyTo(span[IdKeySignatureOffset..]);
            authorPublic.CopyTo(span[AuthorKeyOffset..]);
        }

        return auth;
    }

    /// <summary>The public key in the ABI's 1028-byte format.</summary>
    public static byte[] PublicKey(ECDsa key, string what = "key")
    {
        ArgumentNullException.ThrowIfNull(key);
        var parameters = key.ExportParameters(includePrivateParameters: false);
        if (key.KeySize != 384 || parameters.Q.X is not { Length: P384Size } x || parameters.Q.Y is not { Length: P384Size } y)
        {
            throw new MeasurementException($"the {what} must be ECDSA on curve P-384 (secp384r1), not a {key.KeySize}-bit curve");
        }

        var encoded = new byte[PublicKeySize];
        BinaryPrimitives.WriteUInt32LittleEndian(encoded, CurveP384);
        LittleEndian(x).CopyTo(encoded, 4);
        LittleEndian(y).CopyTo(encoded, 4 + ComponentSize);
        return encoded;
    }

    /// <summary>SHA-384 of the public key in the ABI's format: the report's ID_KEY_DIGEST / AUTHOR_KEY_DIGEST.</summary>
    public static byte[] KeyDigest(ECDsa key) => SHA384.HashData(PublicKey(key));

    /// <summary>Reads R and S (big-endian, 48 bytes each) back out of an ABI signature, for verification.</summary>
    public static byte[] SignatureToP1363(ReadOnlySpan<byte> signature)
    {
        var result = new byte[2 * P384Size];
        LittleEndian(signature[..P384Size].ToArray()).CopyTo(result, 0);
        LittleEndian(signature.Slice(ComponentSize, P384Size).ToArray()).CopyTo(result, P384Size);
        return result;
    }

    private static byte[] Sign(ECDsa key, ReadOnlySpan<byte> data)
    {
        var rs = key.SignData(data, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var signature = new byte[SignatureSize];
        LittleEndian(rs.AsSpan(0, P384Size).ToArray()).CopyTo(signature, 0);
        LittleEndian(rs.AsSpan(P384Size, P384Size).ToArray()).CopyTo(signature, ComponentSize);
        return signature;
    }

    private static byte[] LittleEndian(byte[] bigEndian)
    {
        var copy = (byte[])bigEndian.Clone();
        Array.Reverse(copy);
        return copy;
    }
}
