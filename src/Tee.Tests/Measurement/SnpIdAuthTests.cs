using System.Buffers.Binary;

namespace Sealpod.Tee.Tests.Measurement;

/// <summary>The ID block and ID auth follow the SNP ABI's layout, and their signatures verify with the keys.</summary>
public sealed class SnpIdAuthTests
{
    private static readonly byte[] Digest = Convert.FromBase64String("ylZ8GmwIsI/PFwqRAc71OSOBEyovOfMdyhtYKfSBRwgaSGmErWewMX3oqf54Cuo5");

    [Fact]
    public void Id_block_fields_are_at_the_abi_offsets()
    {
        var family = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var image = Enumerable.Range(101, 16).Select(i => (byte)i).ToArray();

        var block = new SnpIdBlock { LaunchDigest = Digest, FamilyId = family, ImageId = image, GuestSvn = 7, Policy = 0xB0000 }.ToBytes();

        Assert.Equal(SnpIdBlock.Size, block.Length);
        Assert.Equal(Digest, block[..48]);
        Assert.Equal(family, block[0x30..0x40]);
        Assert.Equal(image, block[0x40..0x50]);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(0x50)));
        Assert.Equal(7u, BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(0x54)));
        Assert.Equal(0xB0000UL, BinaryPrimitives.ReadUInt64LittleEndian(block.AsSpan(0x58)));
    }

    [Fact]
    public void Id_auth_signatures_verify_with_the_public_keys_it_carries()
    {
        using var id = Key(TestKeys.Id);
        using var author = Key(TestKeys.Author);
        var block = new SnpIdBlock { LaunchDigest = Digest }.ToBytes();

        var auth = SnpIdAuth.Create(block, id, author);

        Assert.Equal(SnpIdAuth.Size, auth.Length);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(auth));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(auth.AsSpan(4)));
        using var idPublic = FromAbiKey(auth.AsSpan(SnpIdAuth.IdKeyOffset, SnpIdAuth.PublicKeySize));
        using var authorPublic = FromAbiKey(auth.AsSpan(SnpIdAuth.AuthorKeyOffset, SnpIdAuth.PublicKeySize));
        Assert.True(idPublic.VerifyData(block, Signature(auth, SnpIdAuth.IdBlockSignatureOffset), HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.True(authorPublic.VerifyData(auth.AsSpan(SnpIdAuth.IdKeyOffset, SnpIdAuth.PublicKeySize), Signature(auth, SnpIdAuth.IdKeySignatureOffset), HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

        // A changed block does not verify.
        block[0] ^= 1;
        Assert.False(idPublic.VerifyData(block, Signature(auth, SnpIdAuth.IdBlockSignatureOffset), HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public void Id_auth_matches_sev_snp_measure_outside_the_signatures()
    {
        // snp-create-id-block (sev-snp-measure 0.0.13) with the same keys; ECDSA signatures are randomised, so the
        // comparison is over the structure with both signature fields zeroed, and the key digests it prints.
        using var id = Key(TestKeys.Id);
        using var author = Key(TestKeys.Author);
        var auth = SnpIdAuth.Create(new SnpIdBlock { LaunchDigest = Digest }.ToBytes(), id, author);
        Array.Clear(auth, SnpIdAuth.IdBlockSignatureOffset, SnpIdAuth.SignatureSize);
        Array.Clear(auth, SnpIdAuth.IdKeySignatureOffset, SnpIdAuth.SignatureSize);

        Assert.Equal("f37730d27ca55ea71db629c85eab2fca3c0745fbabc6da3fc11b1f9cef9f0cdc", Convert.ToHexStringLower(SHA256.HashData(auth)));
        Assert.Equal("v71y9CMt+29AgRmh8UL/c4z3WKIC7VPhk7maIN54ufNuTtvwjNk4xh5JjP9Tzxi6", Convert.ToBase64String(SnpIdAuth.KeyDigest(id)));
        Assert.Equal("vJan4MKRyEKNi4kLb3YHXuJz9z9n6kQ9Y4IIpojvntgDalENQxt99aSKHkmMU2gt", Convert.ToBase64String(SnpIdAuth.KeyDigest(author)));
    }

    [Fact]
    public void Without_author_key_the_author_fields_stay_zero()
    {
        using var id = Key(TestKeys.Id);

        var auth = SnpIdAuth.Create(new SnpIdBlock { LaunchDigest = Digest }.ToBytes(), id);

        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(auth.AsSpan(4)));
        Assert.All(auth[SnpIdAuth.IdKeySignatureOffset..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Other_curves_are_refused()
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var e = Assert.Throws<MeasurementException>(() => SnpIdAuth.Create(new byte[SnpIdBlock.Size], p256));
        Assert.Contains("P-384", e.Message, StringComparison.Ordinal);
    }

    private static ECDsa Key(string pem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return key;
    }

    private static byte[] Signature(byte[] auth, int offset) => SnpIdAuth.SignatureToP1363(auth.AsSpan(offset, SnpIdAuth.SignatureSize));

    private static ECDsa FromAbiKey(ReadOnlySpan<byte> key)
    {
        Assert.Equal(SnpIdAuth.CurveP384, BinaryPrimitives.ReadUInt32LittleEndian(key));
        var x = key.Slice(4, 48).ToArray();
        var y = key.Slice(4 + 72, 48).ToArray();
        Assert.All(key.Slice(4 + 48, 24).ToArray(), b => Assert.Equal(0, b));
        Array.Reverse(x);
        Array.Reverse(y);
        return ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP384, Q = new ECPoint { X = x, Y = y } });
    }
}
