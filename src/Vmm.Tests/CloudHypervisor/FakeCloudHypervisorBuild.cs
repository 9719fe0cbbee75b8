namespace Sealpod.Vmm.Tests.CloudHypervisor;

/// <summary>
/// Builds CloudHypervisor/fake-cloud-hypervisor (Go, standard library only) once for the collection. Cloud Hypervisor
/// itself is not packaged by Debian 12, so this stand-in serves its API; the driver's requests are real HTTP/1.1 over
/// a real unix socket, and each is checked against Cloud Hypervisor's OpenAPI schema.
/// </summary>
public sealed class FakeCloudHypervisorBuild() : GoProgramBuild(
    "cloud-hypervisor",
    Repository.Combine("src", "Vmm.Tests", "CloudHypervisor", "fake-cloud-hypervisor"))
{
    /// <summary>The requests the process with <paramref name="pid"/> received, as it logged them.</summary>
    public string RequestLog(int pid) => Path.Combine(WorkDirectory, $"requests-{pid}.jsonl");
}
