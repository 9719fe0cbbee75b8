namespace Sealpod.Runtime.Sharing;

/// <summary>
/// Copies a bind mount's host source into the guest with the agent's CopyFile, the way Kata does when the VM
/// shares no filesystem with the host (CoCo's <c>shared_fs = "none"</c>): directories and symbolic links one
/// request each, files in chunks the agent assembles (each well under ttrpc's 4 MiB message limit). Modes and
/// owners are the host's.
/// </summary>
internal sealed class GuestFileCopier(IAgent agent)
{
    /// <summary>File bytes per CopyFile request.</summary>
    public const int ChunkSize = 1 << 20;

    // Directories the agent creates on the way to the copy (the shared directory and its parents): 0750, as Kata.
    private const uint ParentDirectoryMode = 0x1E8;

    public async Task CopyAsync(GuestCopy share, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(share);
        foreach (var entry in share.Source.Entries)
        {
            string guestPath = entry.RelativePath.Length == 0 ? share.GuestPath : share.GuestPath + "/" + entry.RelativePath;
            if (entry.IsRegularFile)
            {
                await CopyRegularFileAsync(entry, guestPath, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var request = Request(entry, guestPath);
            if (entry.IsSymbolicLink)
            {
                var target = Encoding.UTF8.GetBytes(entry.LinkTarget ?? string.Empty);
                request = request with { Data = target, FileSize = target.Length };
            }

            await agent.CopyFileAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CopyRegularFileAsync(HostEntry entry, string guestPath, CancellationToken cancellationToken)
    {
        // The bytes the walk read through its checked descriptor: the host path is never opened again.
        var data = entry.Content ?? throw new InvalidOperationException($"{guestPath}: the host file was not read (over the byte budget)");
        int offset = 0;
        do
        {
            int length = Math.Min(ChunkSize, data.Length - offset);
            var request = Request(entry, guestPath) with { FileSize = data.Length, Offset = offset, Data = data.Slice(offset, length) };
            await agent.CopyFileAsync(request, cancellationToken).ConfigureAwait(false);
            offset += length;
        }
        while (offset < data.Length);
    }

    private static CopyFileRequest Request(HostEntry entry, string guestPath) => new()
    {
        Path = guestPath,
        FileMode = entry.Mode,
        DirMode = ParentDirectoryMode,
        Uid = (int)entry.Uid,
        Gid = (int)entry.Gid,
    };
}
