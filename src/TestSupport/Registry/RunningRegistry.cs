namespace Sealpod.TestSupport.Registry;

/// <summary>A started docker-registry: where it listens, where it stores and where its access log goes.</summary>
public sealed record RunningRegistry(RegistryOptions Options, int Pid, string StorageDirectory, string LogFile)
{
    /// <summary>host:port on loopback inside the namespace (what pushes and the harness's client use).</summary>
    public string LoopbackAddress => "127.0.0.1:" + Options.Listen[(Options.Listen.LastIndexOf(':') + 1)..];

    public string Scheme => Options.Tls ? "https" : "http";

    /// <summary>The file of a stored blob (filesystem driver layout), for tests that tamper with it.</summary>
    public string BlobFile(string digest) =>
        Path.Combine(StorageDirectory, "docker", "registry", "v2", "blobs", "sha256", digest[7..9], digest[7..], "data");

    /// <summary>How many GETs of <paramref name="path"/> (e.g. <c>/v2/app/blobs/sha256:...</c>) the access log shows.</summary>
    public int CountGets(string path)
    {
        var needle = $"\"GET {path} ";
        return File.ReadLines(LogFile).Count(line => line.Contains(needle, StringComparison.Ordinal));
    }
}
