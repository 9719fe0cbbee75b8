using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.Agent.Service;

internal sealed partial class AgentService
{
    private async ValueTask<Empty> CreateSandboxAsync(Wire.CreateSandboxRequest request, TtrpcServerCallContext context)
    {
        await sandbox.CreateSandboxAsync(
            new SandboxSpec
            {
                SandboxId = request.SandboxId,
                Hostname = request.Hostname,
                Dns = [.. request.Dns],
                Storages = Storages(request.Storages),
                KernelModules = [.. request.KernelModules.Select(module => (module.Name, (IReadOnlyList<string>)[.. module.Parameters]))],
            },
            context.CancellationToken).ConfigureAwait(false);
        return EmptyResponse;
    }

    private async ValueTask<Empty> DestroySandboxAsync(Wire.DestroySandboxRequest request, TtrpcServerCallContext context)
    {
        await sandbox.DestroySandboxAsync(context.CancellationToken).ConfigureAwait(false);
        return EmptyResponse;
    }

    private async ValueTask<Empty> CreateContainerAsync(Wire.CreateContainerRequest request, TtrpcServerCallContext context)
    {
        if (request.OCI is null)
        {
            throw new InvalidArgumentException($"CreateContainer {request.ContainerId}: the request carries no OCI spec");
        }

        if (request.SandboxPidns)
        {
            throw new InvalidArgumentException($"CreateContainer {request.ContainerId}: sandbox_pidns is not supported; every container gets its own pid namespace");
        }

        await sandbox.CreateContainerAsync(
            new ContainerSpec
            {
                Id = request.ContainerId,
                ExecId = request.ExecId,
                Spec = SpecTranslation.ToOci(request.OCI),
                Storages = Storages(request.Storages),
                Devices = [.. request.Devices.Select(device => new DeviceSpec { Type = device.Type, Id = device.Id, VmPath = device.VmPath, ContainerPath = device.ContainerPath })],
            },
            context.CancellationToken).ConfigureAwait(false);
        return EmptyResponse;
    }

    private async ValueTask<Empty> StartContainerAsync(Wire.StartContainerRequest request, TtrpcServerCallContext context)
    {
        await sandbox.StartContainerAsync(request.ContainerId, context.CancellationToken).ConfigureAwait(false);
        return EmptyResponse;
    }

    private async ValueTask<Empty> RemoveContainerAsync(Wire.RemoveContainerRequest request, TtrpcServerCallContext context)
    {
        TimeSpan? timeout = request.Timeout == 0 ? null : TimeSpan.FromSeconds(request.Timeout);
        await sandbox.RemoveContainerAsync(request.ContainerId, timeout, context.CancellationToken).ConfigureAwait(false);
        return EmptyResponse;
    }

    private async ValueTask<Empty> ExecProcessAsync(Wire.ExecProcessRequest request, TtrpcServerCallContext context)
    {
        if (request.Process is null)
        {
            throw new InvalidArgumentException($"ExecProcess {request.ContainerId}/{request.ExecId}: the request carries no process");
        }

        await sandbox.ExecProcessAsync(request.ContainerId, request.ExecId, SpecTranslation.ToOci(request.Process), context.CancellationToken).ConfigureAwait(false);
        return EmptyResponse;
    }

    private ValueTask<Empty> SignalProcess(Wire.SignalProcessRequest request, TtrpcServerCallContext context)
    {
        sandbox.SignalProcess(request.ContainerId, request.ExecId, (int)Math.Min(request.Signal, int.MaxValue));
        return Done();
    }

    private async ValueTask<Wire.WaitProcessResponse> WaitProcessAsync(Wire.WaitProcessRequest request, TtrpcServerCallContext context)
    {
        var status = await sandbox.WaitProcessAsync(request.ContainerId, request.ExecId, context.CancellationToken).ConfigureAwait(false);
        return new Wire.WaitProcessResponse { Status = status.ShellCode };
    }

    private async ValueTask<Wire.ReadStreamResponse> ReadAsync(Wire.ReadStreamRequest request, IO.OutputStream stream, TtrpcServerCallContext context)
    {
        var data = await sandbox.ReadAsync(request.ContainerId, request.ExecId, stream, request.Len, context.CancellationToken).ConfigureAwait(false);
        return new Wire.ReadStreamResponse { Data = Google.Protobuf.UnsafeByteOperations.UnsafeWrap(data) };
    }

    private async ValueTask<Wire.WriteStreamResponse> WriteStdinAsync(Wire.WriteStreamRequest request, TtrpcServerCallContext context)
    {
        var written = await sandbox.WriteStdinAsync(request.ContainerId, request.ExecId, request.Data.Memory, context.CancellationToken).ConfigureAwait(false);
        return new Wire.WriteStreamResponse { Len = (uint)written };
    }

    private ValueTask<Empty> CloseStdin(Wire.CloseStdinRequest request, TtrpcServerCallContext context)
    {
        sandbox.CloseStdin(request.ContainerId, request.ExecId);
        return Done();
    }

    private ValueTask<Empty> TtyWinResize(Wire.TtyWinResizeRequest request, TtrpcServerCallContext context)
    {
        sandbox.ResizeTerminal(request.ContainerId, request.ExecId, request.Row, request.Column);
        return Done();
    }

    private async ValueTask<Empty> PauseContainerAsync(Wire.PauseContainerRequest request, TtrpcServerCallContext context)
    {
        await sandbox.PauseContainerAsync(request.ContainerId, context.CancellationToken).ConfigureAwait(false);
        return EmptyResponse;
    }

    private async ValueTask<Empty> ResumeContainerAsync(Wire.ResumeContainerRequest request, TtrpcServerCallContext context)
    {
        await sandbox.ResumeContainerAsync(request.ContainerId, context.CancellationToken).ConfigureAwait(false);
        return EmptyResponse;
    }

    private async ValueTask<Empty> UpdateContainerAsync(Wire.UpdateContainerRequest request, TtrpcServerCallContext context)
    {
        if (request.Resources is null)
        {
            throw new InvalidArgumentException($"UpdateContainer {request.ContainerId}: the request carries no resources");
        }

        await sandbox.UpdateContainerAsync(request.ContainerId, SpecTranslation.ToOci(request.Resources), context.CancellationToken).ConfigureAwait(false);
        return EmptyResponse;
    }

    private ValueTask<Wire.StatsContainerResponse> StatsContainer(Wire.StatsContainerRequest request, TtrpcServerCallContext context) =>
        ValueTask.FromResult(StatsTranslation.ToWire(sandbox.StatsContainer(request.ContainerId)));

    private ValueTask<Empty> SetGuestDateTime(Wire.SetGuestDateTimeRequest request, TtrpcServerCallContext context)
    {
        guest.SetClock(request.Sec, request.Usec);
        return Done();
    }

    private ValueTask<Wire.GuestDetailsResponse> GetGuestDetails(Wire.GuestDetailsRequest request, TtrpcServerCallContext context)
    {
        var details = new Wire.AgentDetails
        {
            Version = Version,
            InitDaemon = Environment.ProcessId == 1,
            SupportsSeccomp = true,
        };
        details.DeviceHandlers.Add("blk");
        details.StorageHandlers.AddRange(StorageManager.Drivers);
        return ValueTask.FromResult(new Wire.GuestDetailsResponse
        {
            MemBlockSizeBytes = request.MemBlockSize ? guest.MemoryBlockSize() : 0,
            SupportMemHotplugProbe = request.MemHotplugProbe && guest.SupportsMemoryHotplugProbe(),
            AgentDetails = details,
        });
    }

    private ValueTask<Empty> CopyFile(Wire.CopyFileRequest request, TtrpcServerCallContext context)
    {
        copier.Copy(new FileCopyRequest
        {
            Path = request.Path,
            FileSize = request.FileSize,
            FileMode = request.FileMode,
            DirectoryMode = request.DirMode,
            Uid = request.Uid,
            Gid = request.Gid,
            Offset = request.Offset,
            Data = request.Data.Memory,
        });
        return Done();
    }

    private async ValueTask<Wire.OOMEvent> GetOomEventAsync(Wire.GetOOMEventRequest request, TtrpcServerCallContext context) =>
        new() { ContainerId = await sandbox.NextOomEventAsync(context.CancellationToken).ConfigureAwait(false) };

    private async ValueTask<Empty> OnlineCpuMemAsync(Wire.OnlineCPUMemRequest request, TtrpcServerCallContext context)
    {
        await guest.OnlineCpuMemoryAsync(request.NbCpus, request.CpuOnly, request.Wait, context.CancellationToken).ConfigureAwait(false);
        return EmptyResponse;
    }

    /// <summary>Replaces the policy in force; the policy in force decided whether this runs at all.</summary>
    private ValueTask<Empty> SetPolicy(Wire.SetPolicyRequest request, TtrpcServerCallContext context)
    {
        policy.Replace(RegoPolicyParser.Parse(request.Policy, "SetPolicy policy"));
        return Done();
    }
}
