using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.AgentClient.Kata.Translation;

/// <summary>
/// The requests and answers of the agent calls that carry more than ids, to Kata's protobuf messages and back.
/// Fields Kata has and the runtime never sets (devices, string users, stream ports, ...) stay unset.
/// </summary>
internal static class RequestTranslation
{
    public static Wire.CreateSandboxRequest ToWire(CreateSandboxRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var wire = new Wire.CreateSandboxRequest { Hostname = request.Hostname, SandboxId = request.SandboxId };
        wire.Dns.AddRange(request.Dns);
        wire.Storages.AddRange(request.Storages.Select(StorageTranslation.ToWire));
        wire.KernelModules.AddRange(request.KernelModules.Select(StorageTranslation.ToWire));
        return wire;
    }

    public static CreateSandboxRequest ToDomain(Wire.CreateSandboxRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new CreateSandboxRequest
        {
            SandboxId = request.SandboxId,
            Hostname = request.Hostname,
            Dns = request.Dns.ToList(),
            Storages = request.Storages.Select(StorageTranslation.ToDomain).ToList(),
            KernelModules = request.KernelModules.Select(StorageTranslation.ToDomain).ToList(),
        };
    }

    public static Wire.CreateContainerRequest ToWire(CreateContainerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var wire = new Wire.CreateContainerRequest { ContainerId = request.ContainerId, ExecId = request.ExecId, OCI = SpecTranslation.ToWire(request.Spec) };
        wire.Storages.AddRange(request.Storages.Select(StorageTranslation.ToWire));
        return wire;
    }

    public static CreateContainerRequest ToDomain(Wire.CreateContainerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new CreateContainerRequest
        {
            ContainerId = request.ContainerId,
            ExecId = request.ExecId,
            Storages = request.Storages.Select(StorageTranslation.ToDomain).ToList(),
            Spec = request.OCI is { } spec ? SpecTranslation.ToDomain(spec) : new OciSpec(),
        };
    }

    public static Wire.ExecProcessRequest ToWire(string containerId, string execId, OciProcess process) =>
        new() { ContainerId = containerId, ExecId = execId, Process = ProcessTranslation.ToWire(process) };

    public static Wire.UpdateContainerRequest ToWire(string containerId, OciLinuxResources resources) =>
        new() { ContainerId = containerId, Resources = ResourcesTranslation.ToWire(resources) };

    public static Wire.CopyFileRequest ToWire(CopyFileRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new Wire.CopyFileRequest
        {
            Path = request.Path,
            FileSize = request.FileSize,
            FileMode = request.FileMode,
            DirMode = request.DirMode,
            Uid = request.Uid,
            Gid = request.Gid,
            Offset = request.Offset,
            Data = ByteString.CopyFrom(request.Data.Span),
        };
    }

    public static CopyFileRequest ToDomain(Wire.CopyFileRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new CopyFileRequest
        {
            Path = request.Path,
            FileSize = request.FileSize,
            FileMode = request.FileMode,
            DirMode = request.DirMode,
            Uid = request.Uid,
            Gid = request.Gid,
            Offset = request.Offset,
            Data = request.Data.Memory,
        };
    }

    /// <summary>The agent sets the guest clock from seconds and microseconds since the Unix epoch.</summary>
    public static Wire.SetGuestDateTimeRequest ToWire(DateTimeOffset now)
    {
        long microseconds = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        return new Wire.SetGuestDateTimeRequest { Sec = microseconds / 1_000_000, Usec = microseconds % 1_000_000 };
    }

    public static AgentHealth ToDomain(Wire.HealthCheckResponse.Types.ServingStatus status) => status switch
    {
        Wire.HealthCheckResponse.Types.ServingStatus.Serving => AgentHealth.Serving,
        Wire.HealthCheckResponse.Types.ServingStatus.NotServing => AgentHealth.NotServing,
        _ => AgentHealth.Unknown,
    };

    public static AgentVersion ToDomain(Wire.VersionCheckResponse version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new AgentVersion(version.AgentVersion, version.GrpcVersion);
    }
}
