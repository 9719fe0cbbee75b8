using System.Text;

namespace Sealpod.Tee.PreAttestation;

/// <summary>
/// The launch digest of an SEV (not SEV-ES) guest started with QEMU's <c>kernel-hashes=on</c>: SHA-256 over the OVMF
/// image followed by the hashes table QEMU places in the firmware's reserved area. The key broker compares it with its
/// allowed digests and verifies the PSP's launch measurement against it, so it must be byte-identical to QEMU's
/// (target/i386/sev.c) and to the guest owner's sev-snp-measure.
/// </summary>
/// <remarks>
/// The table (little-endian, packed, padded with zeros to a multiple of 16 bytes):
/// <code>
///   GUID 9438d606-4f22-4cc9-b479-a793d411fd21 | u16 length (168)
///   GUID 97d02dd8-bd20-4c94-aa78-e7714d36ab2a | u16 50 | SHA-256(cmdline + NUL)      command line
///   GUID 44baf731-3a2f-4bd7-9af1-41e29169781d | u16 50 | SHA-256(initrd, or empty)   initrd
///   GUID 4de79437-abd2-427f-b835-d5b172d2045b | u16 50 | SHA-256(kernel)             kernel
/// </code>
/// GUIDs are in their mixed-endian (Microsoft) byte order, as EDK2 declares them.
/// </remarks>
public static class SevLaunchDigest
{
    private static readonly Guid TableGuid = new("9438d606-4f22-4cc9-b479-a793d411fd21");
    private static readonly Guid CommandLineGuid = new("97d02dd8-bd20-4c94-aa78-e7714d36ab2a");
    private static readonly Guid InitrdGuid = new("44baf731-3a2f-4bd7-9af1-41e29169781d");
    private static readonly Guid KernelGuid = new("4de79437-abd2-427f-b835-d5b172d2045b");

    private const int EntrySize = 16 + 2 + 32;
    private const int TableSize = 16 + 2 + (3 * EntrySize);

    /// <summary>Computes the digest from the files QEMU will load and the exact command line it passes.</summary>
    public static async Task<byte[]> ComputeAsync(string firmwarePath, string kernelPath, string? initrdPath, string commandLine, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(firmwarePath);
        ArgumentException.ThrowIfNullOrEmpty(kernelPath);
        ArgumentNullException.ThrowIfNull(commandLine);
        var kernel = await HashFileAsync(kernelPath, cancellationToken).ConfigureAwait(false);
        var initrd = string.IsNullOrEmpty(initrdPath) ? SHA256.HashData([]) : await HashFileAsync(initrdPath, cancellationToken).ConfigureAwait(false);
        var table = HashesTable(kernel, initrd, CommandLineHash(commandLine));

        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var firmware = new FileStream(firmwarePath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (firmware.ConfigureAwait(false))
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await firmware.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                digest.AppendData(buffer, 0, read);
            }
        }

        digest.AppendData(table);
        return digest.GetHashAndReset();
    }

    /// <summary>The padded hashes table for the three component hashes.</summary>
    public static byte[] HashesTable(ReadOnlySpan<byte> kernelHash, ReadOnlySpan<byte> initrdHash, ReadOnlySpan<byte> commandLineHash)
    {
        var table = new byte[(TableSize + 15) & ~15];
        var span = table.AsSpan();
        WriteGuid(span, TableGuid);
        BinaryPrimitives.WriteUInt16LittleEndian(span[16..], TableSize);
        var offset = 18;
        foreach (var (guid, hash) in new[] { (CommandLineGuid, commandLineHash.ToArray()), (InitrdGuid, initrdHash.ToArray()), (KernelGuid, kernelHash.ToArray()) })
        {
            WriteGuid(span[offset..], guid);
            BinaryPrimitives.WriteUInt16LittleEndian(span[(offset + 16)..], EntrySize);
            hash.CopyTo(span[(offset + 18)..]);
            offset += EntrySize;
        }

        return table;
    }

    /// <summary>QEMU hashes the command line with its terminating NUL (just a NUL when empty).</summary>
    public static byte[] CommandLineHash(string commandLine)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(commandLine) + 1];
        Encoding.UTF8.GetBytes(commandLine, bytes);
        return SHA256.HashData(bytes);
    }

    private static void WriteGuid(Span<byte> destination, Guid guid)
    {
        // Guid.TryWriteBytes writes the mixed-endian layout (Data1..Data3 little-endian), EDK2's.
        if (!guid.TryWriteBytes(destination))
        {
            throw new InvalidOperationException("GUID does not fit");
        }
    }

    private static async Task<byte[]> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (file.ConfigureAwait(false))
        {
            return await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
        }
    }
}
