using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Sealpod.Agent.Service;
using Sealpod.Rpc.Ttrpc;
using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.Agent.Tests;

public sealed class VmSmokeTemp
{
    [Fact]
    public async Task Vm()
    {
        var socket = Environment.GetEnvironmentVariable("SEALPOD_VM_SOCKET");
        if (socket is null) return;
        var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        await s.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(socket));
        await using var client = new TtrpcClient(s);
        const string A = AgentService.AgentServiceName;
        var log = new StringBuilder();
        var v = await client.CallAsync(AgentService.HealthServiceName, "Version", new Wire.CheckRequest(), Wire.VersionCheckResponse.Parser);
        log.AppendLine("version " + v.AgentVersion);
        var details = await client.CallAsync(A, "GetGuestDetails", new Wire.GuestDetailsRequest { MemBlockSize = true }, Wire.GuestDetailsResponse.Parser);
        log.AppendLine($"details init={details.AgentDetails.InitDaemon} block={details.MemBlockSizeBytes}");
        await client.CallAsync(A, "CreateSandbox", new Wire.CreateSandboxRequest { Hostname = "vmhost", SandboxId = "sb1" }, Empty.Parser);
        await client.CallAsync(A, "SetGuestDateTime", new Wire.SetGuestDateTimeRequest { Sec = DateTimeOffset.UtcNow.ToUnixTimeSeconds() }, Empty.Parser);
        var spec = SpecConversionTests.ContainerdDefaultSpec();
        spec.Process.Args.Clear();
        spec.Process.Args.AddRange(["sh", "-c", "cat /hello; hostname; echo pid=$$; cat /proc/self/cgroup; echo w > /w; cat /w; date"]);
        var req = new Wire.CreateContainerRequest { ContainerId = "c1", ExecId = "c1", OCI = spec };
        req.Storages.Add(new Wire.Storage { Driver = "blk", Source = "05", Fstype = "erofs", Options = { "ro" }, MountPoint = "/run/sealpod/storage/c1/lower" });
        req.Storages.Add(new Wire.Storage { Driver = "overlayfs", Source = "overlay", Fstype = "overlay", Options = { "lowerdir=/run/sealpod/storage/c1/lower" }, MountPoint = "/run/sealpod/storage/c1/rootfs" });
        await client.CallAsync(A, "CreateContainer", req, Empty.Parser);
        await client.CallAsync(A, "StartContainer", new Wire.StartContainerRequest { ContainerId = "c1" }, Empty.Parser);
        while (true)
        {
            var r = await client.CallAsync(A, "ReadStdout", new Wire.ReadStreamRequest { ContainerId = "c1", Len = 4096 }, Wire.ReadStreamResponse.Parser);
            if (r.Data.IsEmpty) break;
            log.Append(r.Data.ToStringUtf8());
        }
        var e = await client.CallAsync(A, "ReadStderr", new Wire.ReadStreamRequest { ContainerId = "c1", Len = 4096 }, Wire.ReadStreamResponse.Parser);
        log.AppendLine("stderr: " + e.Data.ToStringUtf8());
        var w = await client.CallAsync(A, "WaitProcess", new Wire.WaitProcessRequest { ContainerId = "c1" }, Wire.WaitProcessResponse.Parser);
        log.AppendLine("status " + w.Status);
        await client.CallAsync(A, "RemoveContainer", new Wire.RemoveContainerRequest { ContainerId = "c1", Timeout = 10 }, Empty.Parser);

        // A long-running one: stats, exec, pause/resume.
        var spec2 = SpecConversionTests.ContainerdDefaultSpec();
        spec2.Process.Args.Clear();
        spec2.Process.Args.AddRange(["sleep", "1000"]);
        var req2 = new Wire.CreateContainerRequest { ContainerId = "c2", OCI = spec2 };
        req2.Storages.Add(new Wire.Storage { Driver = "blk", Source = "05", Fstype = "erofs", Options = { "ro" }, MountPoint = "/run/sealpod/storage/c2/lower" });
        req2.Storages.Add(new Wire.Storage { Driver = "overlayfs", Options = { "lowerdir=/run/sealpod/storage/c2/lower" }, MountPoint = "/run/sealpod/storage/c2/rootfs" });
        await client.CallAsync(A, "CreateContainer", req2, Empty.Parser);
        await client.CallAsync(A, "StartContainer", new Wire.StartContainerRequest { ContainerId = "c2" }, Empty.Parser);
        var stats = await client.CallAsync(A, "StatsContainer", new Wire.StatsContainerRequest { ContainerId = "c2" }, Wire.StatsContainerResponse.Parser);
        log.AppendLine($"stats cpu={stats.CgroupStats.CpuStats.CpuUsage.TotalUsage} mem={stats.CgroupStats.MemoryStats.Usage.Usage} pids={stats.CgroupStats.PidsStats.Current}");
        await client.CallAsync(A, "PauseContainer", new Wire.PauseContainerRequest { ContainerId = "c2" }, Empty.Parser);
        await client.CallAsync(A, "ResumeContainer", new Wire.ResumeContainerRequest { ContainerId = "c2" }, Empty.Parser);
        await client.CallAsync(A, "ExecProcess", new Wire.ExecProcessRequest { ContainerId = "c2", ExecId = "x1", Process = new Wire.Process { Args = { "ps" }, Cwd = "/", User = new Wire.User(), Env = { "PATH=/bin" } } }, Empty.Parser);
        while (true)
        {
            var r = await client.CallAsync(A, "ReadStdout", new Wire.ReadStreamRequest { ContainerId = "c2", ExecId = "x1", Len = 4096 }, Wire.ReadStreamResponse.Parser);
            if (r.Data.IsEmpty) break;
            log.Append(r.Data.ToStringUtf8());
        }
        log.AppendLine("exec status " + (await client.CallAsync(A, "WaitProcess", new Wire.WaitProcessRequest { ContainerId = "c2", ExecId = "x1" }, Wire.WaitProcessResponse.Parser)).Status);
        await client.CallAsync(A, "UpdateContainer", new Wire.UpdateContainerRequest { ContainerId = "c2", Resources = new Wire.LinuxResources { Pids = new Wire.LinuxPids { Limit = 50 } } }, Empty.Parser);
        stats = await client.CallAsync(A, "StatsContainer", new Wire.StatsContainerRequest { ContainerId = "c2" }, Wire.StatsContainerResponse.Parser);
        log.AppendLine($"pids limit {stats.CgroupStats.PidsStats.Limit}");
        await client.CallAsync(A, "SignalProcess", new Wire.SignalProcessRequest { ContainerId = "c2", Signal = 15 }, Empty.Parser);
        log.AppendLine("c2 status " + (await client.CallAsync(A, "WaitProcess", new Wire.WaitProcessRequest { ContainerId = "c2" }, Wire.WaitProcessResponse.Parser)).Status);
        await client.CallAsync(A, "DestroySandbox", new Wire.DestroySandboxRequest(), Empty.Parser);
        File.WriteAllText("/tmp/vmtest/client.log", log.ToString());
    }
}


