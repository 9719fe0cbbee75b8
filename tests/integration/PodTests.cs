namespace Sealpod.IntegrationTests;

/// <summary>Containers with CRI's pod annotations share their sandbox's shim and VM.</summary>
public sealed class PodTests(PrivateContainerd containerd) : IClassFixture<PrivateContainerd>
{
    [Fact]
    public async Task A_pod_container_joins_the_sandbox_shim_and_vm()
    {
        var sandbox = await containerd.Run(
            ["-d", "--null-io", "--annotation", "io.kubernetes.cri.container-type=sandbox", "--annotation", "io.kubernetes.cri.sandbox-id=pod1"],
            "pod1", ["sleep", "1000"]);
        Assert.True(sandbox.ExitCode == 0, sandbox + containerd.ContainerdLog());
        var app = await containerd.Run(
            ["-d", "--null-io", "--annotation", "io.kubernetes.cri.container-type=container", "--annotation", "io.kubernetes.cri.sandbox-id=pod1"],
            "app1", ["sleep", "1000"]);
        Assert.True(app.ExitCode == 0, app + containerd.ContainerdLog());

        var shims = containerd.ProcessesUnder("containerd-shim-sealpod-v2");
        var vms = containerd.ProcessesUnder(Path.Combine(containerd.SandboxRunDirectory, "sandboxes"));
        Assert.Single(shims);
        Assert.Single(vms);
        Assert.Equal((await containerd.TaskAsync("pod1"))?.Pid, (await containerd.TaskAsync("app1"))?.Pid);
        Assert.True(File.Exists(containerd.ShimSocket("pod1")));
        Assert.False(File.Exists(containerd.ShimSocket("app1")));

        var exec = await containerd.Ctr(["tasks", "exec", "--fifo-dir", containerd.FifoDirectory, "--exec-id", "x1", "app1", "uname", "-r"]);
        Assert.True(exec.ExitCode == 0, exec.ToString());
        Assert.NotEqual((await Command.RunAsync("uname", ["-r"])).Text.Trim(), exec.Text.Trim());

        // CRI's order: the pod's containers first, the sandbox last.
        foreach (var id in new[] { "app1", "pod1" })
        {
            await containerd.KillAndRemoveAsync(id, strict: true);
        }

        await containerd.AssertNothingLeftAsync("pod1", "app1");
    }
}
