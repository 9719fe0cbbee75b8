namespace Sealpod.Tee.Measurement;

/// <summary>
/// The SEV-SNP ID block (SNP firmware ABI, "ID_BLOCK", 96 bytes) SNP_LAUNCH_FINISH checks against the launch: the
/// expected launch digest, the guest owner's family and image ids, the version (1), the guest SVN and the guest policy,
/// which must equal the policy the guest is launched with.
/// </summary>
/// <remarks>Layout: LD 0x00 (48) | FAMILY_ID 0x30 (16) | IMAGE_ID 0x40 (16) | VERSION 0x50 (u32) | GUEST_SVN 0x54 (u32) | POLICY 0x58 (u64).</remarks>
public sealed record SnpIdBlock
{
    /// <summary>The block's size.</summary>
    public const int Size = 96;

    /// <summary>The only ID block version the ABI defines.</summary>
    public const uint CurrentVersion = 1;

    /// <summary>sev-snp-measure's default policy: ABI 0x30000 (bit 17 reserved-must-be-one, bit 16 SMT allowed).</summary>
    public const ulong DefaultPolicy = 0x30000;

    /// <summary>The 48-byte SNP launch digest the guest must have.</summary>
    public required byte[] LaunchDigest { get; init; }

    /// <summary>16 bytes the guest owner chooses (zeros by default).</summary>
    public byte[] FamilyId { get; init; } = new byte[16];

    /// <summary>16 bytes the guest owner chooses (zeros by default).</summary>
    public byte[] ImageId { get; init; } = new byte[16];

    /// <summary>The guest's security version number.</summary>
    public uint GuestSvn { get; init; }

    /// <summary>The guest policy the launch uses (<c>snp_guest_policy</c>).</summary>
    public ulong Policy { get; init; } = DefaultPolicy;

    /// <summary>The 96 bytes, little-endian.</summary>
    public byte[] ToBytes()
    {
        Require(LaunchDigest, SnpLaunchDigest.Size, "launch digest");
        Require(FamilyId, 16, "family id");
        Require(ImageId, 16, "image id");
        var block = new byte[Size];
        var span = block.AsSpan();
        LaunchDigest.CopyTo(span);
        FamilyId.CopyTo(span[0x30..]);
        ImageId.CopyTo(span[0x40..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[0x50..], CurrentVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(span[0x54..], GuestSvn);
        BinaryPrimitives.WriteUInt64LittleEndian(span[0x58..], Policy);
        return block;
    }

    private static void Require(byte[] value, int size, string what)
    {
        if (value is null || value.Length != size)
        {
            throw new MeasurementException($"SNP ID block: the {what} must be {size} bytes, not {value?.Length ?? 0}");
        }
    }
}
