namespace Sealpod.Agent.InitData;

/// <summary>
/// The agent's Init-Data step, before it serves (as Kata's agent does before its ttrpc server starts): find the disk,
/// read and validate the document, and write its files where guest components look for them
/// (<c>/run/confidential-containers/initdata</c>). No disk is the normal case of a pod without Init-Data. A disk that
/// is there but unreadable or invalid fails the boot: the TEE measured it, so carrying on without it would run the pod
/// under configuration nobody attested.
/// </summary>
internal sealed class InitDataLoader(InitDataDiskFinder finder, string directory, TimeProvider time, ILogger log)
{
    /// <summary>Loads the Init-Data, if the VM has any.</summary>
    /// <returns>The document, or null without an Init-Data disk.</returns>
    /// <exception cref="InitDataException">The disk is ambiguous, unreadable or invalid, or the files cannot be written; the message names the disk.</exception>
    public async Task<InitDataDocument?> LoadAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var disk = await finder.FindAsync(time, cancellationToken).ConfigureAwait(false);
        if (disk is null)
        {
            log.LogInformation("no Init-Data disk (looked for {Elapsed} ms)", ElapsedMilliseconds(started));
            return null;
        }

        InitDataDocument document;
        IReadOnlyList<string> written;
        try
        {
            var stream = new FileStream(disk, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            await using (stream.ConfigureAwait(false))
            {
                document = await InitDataImage.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
            }

            written = await InitDataGuestFiles.WriteAsync(document, directory, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InitDataException or IOException or UnauthorizedAccessException)
        {
            throw new InitDataException($"Init-Data disk {disk}: {e.Message}", e);
        }

        // The digest, not the content (which may carry credentials), lets the host check what arrived against what it
        // sent and against what the TEE bound (SNP HOST_DATA, TDX MRCONFIGID are this digest fitted to their size).
        log.LogInformation(
            "Init-Data from {Disk}: version {Version}, data {Keys}; digest {Digest}; wrote {Files} in {Elapsed} ms",
            disk,
            document.Version,
            string.Join(", ", document.Data.Keys.Order(StringComparer.Ordinal).Select(Printable)),
            document.Digest,
            string.Join(", ", written),
            ElapsedMilliseconds(started));
        return document;
    }

    // Keys are the document's: one with a line break must not forge a console line.
    private static string Printable(string key) => key.Any(char.IsControl) ? System.Text.Json.JsonEncodedText.Encode(key).ToString() : key;

    private static string ElapsedMilliseconds(long started) =>
        Stopwatch.GetElapsedTime(started).TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
}
