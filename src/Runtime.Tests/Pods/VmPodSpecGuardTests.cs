namespace Sealpod.Runtime.Tests.Pods;

/// <summary><see cref="VmPodSpecGuard"/> over real bundles: what a VM pod refuses at Create, and what it still lets through.</summary>
public sealed class VmPodSpecGuardTests() : TempDirectoryTest("sp-guard-")
{
    [Theory]
    [InlineData("network", "hostNetwork")]
    [InlineData("pid", "hostPID")]
    [InlineData("ipc", "hostIPC")]
    public void A_cri_sandbox_without_a_namespace_entry_asks_for_the_hosts_and_is_refused(string type, string field)
    {
        string[] all = [PodSpecs.PidNs, PodSpecs.IpcNs, """{ "type": "mount" }""", PodSpecs.NetworkNs];
        var bundle = Load(PodSpecs.Sandbox(namespaces: all.Where(ns => !ns.Contains($"\"{type}\"", StringComparison.Ordinal)).ToArray()));

        var error = Assert.Throws<InvalidArgumentException>(() => VmPodSpecGuard.Check(bundle, ContainerKind.PodSandbox));

        Assert.Contains($"no {type} namespace", error.Message, StringComparison.Ordinal);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cri_sandbox_with_its_own_namespaces_passes()
    {
        VmPodSpecGuard.Check(Load(PodSpecs.Sandbox()), ContainerKind.PodSandbox);
    }

    [Fact]
    public void A_ctr_run_container_with_the_hosts_namespaces_is_not_a_pod_and_passes()
    {
        // ctr run --net-host leaves the network namespace out too; without CRI annotations it keeps working.
        var spec = """{ "process": { "args": ["sh"] }, "linux": { "namespaces": [ { "type": "mount" } ], "cgroupsPath": "/default/c1" } }""";

        VmPodSpecGuard.Check(Load(spec), ContainerKind.Single);
    }

    [Theory]
    [InlineData("kubepods-besteffort-pod1.slice:cri-containerd:abc")]
    [InlineData(":cri-containerd:abc")]
    public void A_systemd_cgroups_path_is_refused_naming_the_runtime_option(string path)
    {
        var bundle = Load(PodSpecs.Sandbox(cgroupsPath: path));

        var error = Assert.Throws<InvalidArgumentException>(() => VmPodSpecGuard.Check(bundle, ContainerKind.PodSandbox));

        Assert.Contains("linux.cgroupsPath", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("SystemdCgroup", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/kubepods/burstable/pod1/abc", false)]
    [InlineData("/default/c1", false)]
    [InlineData("a:b", false)]
    [InlineData("notaslice:prefix:name", false)]
    [InlineData("system.slice:docker:abc", true)]
    public void Only_the_three_part_slice_form_is_systemd(string path, bool systemd)
    {
        Assert.Equal(systemd, VmPodSpecGuard.IsSystemdPath(path));
    }

    private OciBundle Load(string spec) => Temp.LoadBundle(spec);
}
