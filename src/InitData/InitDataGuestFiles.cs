using Sealpod.Contract.Guest;

namespace Sealpod.InitData;

/// <summary>
/// Where the guest side puts Init-Data, as Kata's agent does: the whole document as <c>initdata.toml</c> plus the
/// attestation agent's and confidential data hub's configs, each from its well-known <c>[data]</c> key. Only these
/// known keys become files, so a document cannot name a path; <c>policy.rego</c> goes to the policy engine instead.
/// </summary>
public static class InitDataGuestFiles
{
    /// <summary>The guest directory guest components read their configuration from.</summary>
    public const string DefaultDirectory = GuestPaths.InitDataDirectory;

    /// <summary>The whole document.</summary>
    public const string DocumentFileName = "initdata.toml";

    /// <summary>Attestation agent configuration key (and file name).</summary>
    public const string AttestationAgentKey = "aa.toml";

    /// <summary>Confidential data hub configuration key (and file name).</summary>
    public const string ConfidentialDataHubKey = "cdh.toml";

    /// <summary>
    /// Sealpod's key for a containers-auth.json with registry credentials (and its file name), for cdh.toml's
    /// <c>authenticated_registry_credentials_uri = "file:///run/confidential-containers/initdata/registry-auth.json"</c>:
    /// without a confidential data hub and KBS (<c>kbs:///</c> URIs) Init-Data is the only way to hand the guest a
    /// file. Init-Data is measured, not secret: whoever writes the pod's annotation reads these credentials.
    /// </summary>
    public const string RegistryAuthKey = "registry-auth.json";

    /// <summary>Agent policy (Rego) key; not written as a file.</summary>
    public const string PolicyKey = "policy.rego";

    /// <summary>The agent policy the document carries, if any.</summary>
    public static string? Policy(InitDataDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.Data.TryGetValue(PolicyKey, out var policy) ? policy : null;
    }

    /// <summary>
    /// Writes <c>initdata.toml</c>, and <c>aa.toml</c>/<c>cdh.toml</c>/<c>registry-auth.json</c> when present, into <paramref name="directory"/>
    /// (created if missing), readable by the owner only. Returns the files written.
    /// </summary>
    /// <remarks>
    /// The names are fixed, so no <c>[data]</c> key reaches the file system. Nor does anything already there steer the
    /// writes: a <paramref name="directory"/> that is a symbolic link is refused, and each file is removed first and
    /// created exclusively (<c>O_EXCL</c> does not follow a link put in its place).
    /// </remarks>
    /// <exception cref="InitDataException"><paramref name="directory"/> is a symbolic link.</exception>
    public static async Task<IReadOnlyList<string>> WriteAsync(InitDataDocument document, string directory = DefaultDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (new DirectoryInfo(directory) is { Exists: true, LinkTarget: { } target })
        {
            throw new InitDataException($"{directory} is a symbolic link (to {target}): Init-Data files are written only into a real directory");
        }

        Directory.CreateDirectory(directory);
        var written = new List<string>();
        var path = Path.Combine(directory, DocumentFileName);
        await WriteFileAsync(path, document.Toml.ToArray(), cancellationToken).ConfigureAwait(false);
        written.Add(path);
        foreach (var key in (string[])[AttestationAgentKey, ConfidentialDataHubKey, RegistryAuthKey])
        {
            if (document.Data.TryGetValue(key, out var content))
            {
                path = Path.Combine(directory, key);
                await WriteFileAsync(path, System.Text.Encoding.UTF8.GetBytes(content), cancellationToken).ConfigureAwait(false);
                written.Add(path);
            }
        }

        return written;
    }

    private static async Task WriteFileAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        File.Delete(path);
        var options = PrivateFiles.ForWriting(FileMode.CreateNew);
        var stream = new FileStream(path, options);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
        }
    }
}
