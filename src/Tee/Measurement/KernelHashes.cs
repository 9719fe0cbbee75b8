namespace Sealpod.Tee.Measurement;

/// <summary>
/// The SHA-256 hashes QEMU's <c>kernel-hashes=on</c> writes into the firmware's hashes table: the kernel, the initrd
/// (of nothing when there is none) and the command line with its terminating NUL. The table layout is
/// <see cref="SevLaunchDigest.HashesTable"/>'s, shared with SEV pre-attestation.
/// </summary>
public sealed record KernelHashes(byte[] Kernel, byte[] Initrd, byte[] CommandLine)
{
    private const int PageSize = 4096;

    /// <summary>Hashes the files QEMU loads and the command line it passes with <c>-append</c>.</summary>
    public static async Task<KernelHashes> ComputeAsync(string kernelPath, string? initrdPath, string commandLine, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(kernelPath);
        ArgumentNullException.ThrowIfNull(commandLine);
        var kernel = await HashFileAsync("kernel", kernelPath, cancellationToken).ConfigureAwait(false);
        var initrd = string.IsNullOrEmpty(initrdPath) ? SHA256.HashData([]) : await HashFileAsync("initrd", initrdPath, cancellationToken).ConfigureAwait(false);
        return new KernelHashes(kernel, initrd, SevLaunchDigest.CommandLineHash(commandLine));
    }

    /// <summary>The padded table (the bytes SEV and SEV-ES append to the firmware's digest).</summary>
    public byte[] Table() => SevLaunchDigest.HashesTable(Kernel, Initrd, CommandLine);

    /// <summary>The page SNP measures: zeros with the table at the table's offset in its page.</summary>
    public byte[] Page(uint tableGpa)
    {
        var offset = (int)(tableGpa & (PageSize - 1));
        var table = Table();
        if (offset + table.Length > PageSize)
        {
            throw new MeasurementException($"the SEV hashes table at 0x{tableGpa:x} crosses its page");
        }

        var page = new byte[PageSize];
        table.CopyTo(page, offset);
        return page;
    }

    private static async Task<byte[]> HashFileAsync(string what, string path, CancellationToken cancellationToken)
    {
        try
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (file.ConfigureAwait(false))
            {
                return await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MeasurementException($"{what} {path}: cannot read: {e.Message}", e);
        }
    }
}
