using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.Agent.Tests;

/// <summary>
/// The NativeAOT binary itself (what the guest runs), started as a separate process serving a unix
/// socket, runs a container: as PID 1 of its own pid namespace, as in the guest, and with SIGCHLD
/// inherited ignored. In both cases the .NET runtime reaps every child itself unless told not to,
/// and the agent, missing its runtime's exit, would hang. Needs the published binary:
/// SEALPOD_AGENT_BINARY=/abs/path/build/agent/sealpod-agent; without it these report as skipped.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Root)]
public sealed class PublishedAgentTests
{
    [PublishedAgentFact]
    public Task The_native_agent_serves_a_container_as_pid_1() =>
        RunContainerAsync(
            arguments => new SpawnRequest("/usr/bin/unshare", ["--pid", "--fork", "--kill-child", "--mount-proc", .. arguments]),
            stopWithSigterm: false);

    [PublishedAgentFact]
    public Task The_native_agent_serves_a_container_when_started_with_sigchld_ignored() =>
        RunContainerAsync(
            arguments => new SpawnRequest("/usr/bin/perl", ["-e", "$SIG{CHLD} = 'IGNORE'; exec @ARGV or die", .. arguments]),
            stopWithSigterm: true);

    private static async Task RunContainerAsync(Func<string[], SpawnRequest> launch, bool stopWithSigterm)
    {
        var binary = Path.GetFullPath(Environment.GetEnvironmentVariable(PublishedAgentFactAttribute.Variable)!);
        var root = Path.Combine(Path.GetTempPath(), "sealpod-aot-" + Guid.NewGuid().ToString("N")[..8]);
        var socket = Path.Combine(root, "agent.sock");
        var cgroupParent = "sealpod-aot-" + Path.GetFileName(root)[^8..];
        ChildProcess? agent = null;
        try
        {
            var rootfs = await BusyboxRootfs.CreateAsync(Path.Combine(root, "rootfs"));
            agent = TestProcess.Reaper.Spawn(launch([binary, "--unix", socket, "--state", Path.Combine(root, "state"), "--runtime", AgentFixture.Runtime, "--cgroup-parent", cgroupParent, "--no-manage-guest"]));
            for (var attempt = 0; !File.Exists(socket) && attempt < 200 && !agent.Exited.IsCompleted; attempt++)
            {
                await Task.Delay(25);
            }

            // Bounded calls: an agent that misses a child's exit would otherwise hang the test.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var token = timeout.Token;
            await using var client = await TtrpcClient.ConnectUnixAsync(socket, cancellationToken: token);
            var version = await client.CallAsync(AgentService.HealthServiceName, "Version", new Wire.CheckRequest(), Wire.VersionCheckResponse.Parser, cancellationToken: token);
            Assert.Equal(AgentService.Version, version.AgentVersion);

            var spec = SpecConversionTests.ContainerdDefaultSpec();
            spec.Root.Path = rootfs;
            spec.Process.Args.Clear();
            spec.Process.Args.AddRange(["sh", "-c", "echo native; exit 4"]);
            const string Agent = AgentService.AgentServiceName;
            await client.CallAsync(Agent, "CreateContainer", new Wire.CreateContainerRequest { ContainerId = "aot", OCI = spec }, Empty.Parser, cancellationToken: token);
            await client.CallAsync(Agent, "StartContainer", new Wire.StartContainerRequest { ContainerId = "aot" }, Empty.Parser, cancellationToken: token);
            var output = await client.CallAsync(Agent, "ReadStdout", new Wire.ReadStreamRequest { ContainerId = "aot", Len = 100 }, Wire.ReadStreamResponse.Parser, cancellationToken: token);
            var wait = await client.CallAsync(Agent, "WaitProcess", new Wire.WaitProcessRequest { ContainerId = "aot" }, Wire.WaitProcessResponse.Parser, cancellationToken: token);
            await client.CallAsync(Agent, "RemoveContainer", new Wire.RemoveContainerRequest { ContainerId = "aot", Timeout = 10 }, Empty.Parser, cancellationToken: token);

            Assert.Equal("native\n", output.Data.ToStringUtf8());
            Assert.Equal(4, wait.Status);
            if (stopWithSigterm)
            {
                // Not PID 1: SIGTERM shuts it down cleanly.
                Assert.Equal(0, LibC.Kill(agent.Pid, 15));
                Assert.Equal(0, (await agent.Exited.WaitAsync(TimeSpan.FromSeconds(30))).ShellCode);
                agent = null;
            }
        }
        finally
        {
            if (agent is not null)
            {
                // unshare --kill-child takes the agent (PID 1 of its namespace) with it.
                LibC.Kill(agent.Pid, 9);
                await agent.Exited;
            }

            CgroupCleanup.RemoveParent("/sys/fs/cgroup", cgroupParent);
            Directory.Delete(root, recursive: true);
        }
    }
}
