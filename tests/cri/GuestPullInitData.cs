using System.IO.Compression;

namespace Sealpod.CriHarness;

/// <summary>
/// The pod annotation that lets a guest pull from a plain-HTTP registry: Init-Data whose cdh.toml marks the registry
/// insecure. The agent writes only aa.toml, cdh.toml and the document itself to the guest, and reads
/// registry_configuration_uri as a file:/// URI, so the registries.conf table ([[registry]]) sits in cdh.toml and the
/// URI names that same file. Used by the guest-pull tests and the pull benchmark.
/// </summary>
public static class GuestPullInitData
{
    public const string Annotation = "io.katacontainers.config.hypervisor.cc_init_data";

    /// <summary>The annotation's value (gzip, base64, as Kata takes it) marking <paramref name="registry"/> (host:port) insecure.</summary>
    public static string ForInsecureRegistry(string registry) => Encode(Document(registry));

    /// <summary>
    /// The Init-Data document marking <paramref name="registry"/> insecure, with <paramref name="imageLines"/> added to
    /// cdh.toml's [image] table and <paramref name="extraData"/> (further entries of the document's [data]).
    /// </summary>
    public static byte[] Document(string registry, string imageLines = "", string extraData = "") => Encoding.UTF8.GetBytes($$"""
        version = "0.1.0"
        algorithm = "sha256"

        [data]
        "cdh.toml" = '''
        [image]
        registry_configuration_uri = "file:///run/confidential-containers/initdata/cdh.toml"
        {{imageLines}}

        [[registry]]
        location = "{{registry}}"
        insecure = true
        '''
        {{extraData}}

        """.Replace("\r", string.Empty, StringComparison.Ordinal));

    /// <summary>An Init-Data document as the annotation carries it: gzip, then base64.</summary>
    public static string Encode(byte[] document)
    {
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(document);
        }

        return Convert.ToBase64String(compressed.ToArray());
    }
}
