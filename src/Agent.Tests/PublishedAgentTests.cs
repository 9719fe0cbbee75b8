using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Sealpod.Agent.Processes;
using Sealpod.Agent.Service;
using Sealpod.Agent.Tests.Infrastructure;
using Sealpod.Rpc.Ttrpc;
using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.Agent.Tests;

/// <summary>
/// The NativeAOT binary itself (what the guest runs), started as a separate process serving a unix
/// socket with SIGCHLD inherited ignored (as in the guest), runs a container. Needs the published binary: SEALPOD_AGENT_BINARY=build/agent/sealpod-agent
/// (the Makefile publishes it first); without it the test is reported as skipped.
/// </summary>
public sealed class PublishedAgentTests
{
    [PublishedAgentFact]
    public async Task The_native_agent_serves_a_container_and_stops_on_sigterm()
    {
        var binary = Path.GetFullPath(Environment.GetEnvironmentVariable(PublishedAgentFactAttribute.Variable)!);
        var root = Path.Combine(Path.GetTempPath(), "sealpod-aot-" + Guid.NewGuid().ToString("N")[..8]);
        var socket = Path.Combine(root, "agent.sock");
        var cgroupParent = "sealpod-aot-" + Path.GetFileName(root)[^8..];
        ChildProcess? agent = null;
        try
        {
            var rootfs = await BusyboxRootfs.CreateAsync(Path.Combine(root, "rootfs"));
            // Started the way the guest starts it: with SIGCHLD ignored, as PID 1 inherits it from the
            // kernel through /init. (Before the agent reset that, it never saw a child exit.)
            agent = TestProcess.Reaper.Spawn(new SpawnRequest("/usr/bin/perl", ["-e", "$SIG{CHLD} = 'IGNORE'; exec @ARGV or die", binary, "--unix", socket, "--state", Path.Combine(root, "state"), "--runtime", AgentFixture.Runtime, "--cgroup-parent", cgroupParent, "--no-manage-guest"]));
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
            await client.CallAsync(AgentService.AgentServiceName, "CreateContainer", new Wire.CreateContainerRequest { ContainerId = "aot", OCI = spec }, Empty.Parser, cancellationToken: token);
            await client.CallAsync(AgentService.AgentServiceName, "StartContainer", new Wire.StartContainerRequest { ContainerId = "aot" }, Empty.Parser, cancellationToken: token);
            var output = await client.CallAsync(AgentService.AgentServiceName, "ReadStdout", new Wire.ReadStreamRequest { ContainerId = "aot", Len = 100 }, Wire.ReadStreamResponse.Parser, cancellationToken: token);
            var wait = await client.CallAsync(AgentService.AgentServiceName, "WaitProcess", new Wire.WaitProcessRequest { ContainerId = "aot" }, Wire.WaitProcessResponse.Parser, cancellationToken: token);
            await client.CallAsync(AgentService.AgentServiceName, "RemoveContainer", new Wire.RemoveContainerRequest { ContainerId = "aot", Timeout = 10 }, Empty.Parser, cancellationToken: token);

            Assert.Equal("native\n", output.Data.ToStringUtf8());
            Assert.Equal(4, wait.Status);
            Assert.Equal(0, Native.LibC.Kill(agent.Pid, 15));
            Assert.Equal(0, (await agent.Exited.WaitAsync(TimeSpan.FromSeconds(30))).ShellCode);
            agent = null;
        }
        finally
        {
            if (agent is not null)
            {
                Native.LibC.Kill(agent.Pid, 9);
                await agent.Exited;
            }

            CgroupCleanup.RemoveParent("/sys/fs/cgroup", cgroupParent);
            Directory.Delete(root, recursive: true);
        }
    }
}
