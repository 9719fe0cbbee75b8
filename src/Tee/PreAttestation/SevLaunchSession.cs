namespace Sealpod.Tee.PreAttestation;

/// <summary>
/// A launch session from GetBundle: the id GetSecret must quote and the two files QEMU's <c>sev-guest</c> object reads
/// (<c>dh-cert-file</c>, <c>session-file</c>).
/// </summary>
/// <param name="LaunchId">The key broker's id of this launch.</param>
/// <param name="DhCertFile">The guest owner's Diffie-Hellman certificate, base64 (godh.b64).</param>
/// <param name="SessionFile">The launch session blob, base64 (session_file.b64).</param>
public sealed record SevLaunchSession(string LaunchId, string DhCertFile, string SessionFile)
{
    /// <summary>Removes the two files; a session is good for one launch only.</summary>
    public void DeleteFiles()
    {
        foreach (var file in (ReadOnlySpan<string>)[DhCertFile, SessionFile])
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort on cleanup paths; the caller's own error matters more.
            }
        }
    }
}
