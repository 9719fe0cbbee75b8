using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.AgentClient.Kata.Translation;

/// <summary><see cref="OciProcess"/> to Kata's protobuf <c>grpc.Process</c> (a container's, or an exec's) and back.</summary>
internal static class ProcessTranslation
{
    public static Wire.Process ToWire(OciProcess process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var wire = new Wire.Process
        {
            Terminal = process.Terminal,
            Cwd = process.Cwd,
            NoNewPrivileges = process.NoNewPrivileges,
            ApparmorProfile = process.ApparmorProfile,
            OOMScoreAdj = process.OomScoreAdj,
            SelinuxLabel = process.SelinuxLabel,
            ConsoleSize = process.ConsoleSize is { } size ? new Wire.Box { Height = size.Height, Width = size.Width } : null,
        };
        if (process.User is { } user)
        {
            wire.User = new Wire.User { UID = user.Uid, GID = user.Gid, Username = user.Username };
            wire.User.AdditionalGids.AddRange(user.AdditionalGids);
        }

        wire.Args.AddRange(process.Args);
        wire.Env.AddRange(process.Env);
        if (process.Capabilities is { } caps)
        {
            var capabilities = new Wire.LinuxCapabilities();
            capabilities.Bounding.AddRange(caps.Bounding);
            capabilities.Effective.AddRange(caps.Effective);
            capabilities.Inheritable.AddRange(caps.Inheritable);
            capabilities.Permitted.AddRange(caps.Permitted);
            capabilities.Ambient.AddRange(caps.Ambient);
            wire.Capabilities = capabilities;
        }

        wire.Rlimits.AddRange(process.Rlimits.Select(r => new Wire.POSIXRlimit { Type = r.Type, Hard = r.Hard, Soft = r.Soft }));
        return wire;
    }

    public static OciProcess ToDomain(Wire.Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        return new OciProcess
        {
            Terminal = process.Terminal,
            ConsoleSize = process.ConsoleSize is { } size ? new OciBox { Height = size.Height, Width = size.Width } : null,
            User = process.User is { } user
                ? new OciUser { Uid = user.UID, Gid = user.GID, AdditionalGids = [.. user.AdditionalGids], Username = user.Username }
                : null,
            Args = [.. process.Args],
            Env = [.. process.Env],
            Cwd = process.Cwd,
            Capabilities = process.Capabilities is { } caps
                ? new OciCapabilities
                {
                    Bounding = [.. caps.Bounding],
                    Effective = [.. caps.Effective],
                    Inheritable = [.. caps.Inheritable],
                    Permitted = [.. caps.Permitted],
                    Ambient = [.. caps.Ambient],
                }
                : null,
            Rlimits = process.Rlimits.Select(r => new OciRlimit { Type = r.Type, Hard = r.Hard, Soft = r.Soft }).ToList(),
            NoNewPrivileges = process.NoNewPrivileges,
            ApparmorProfile = process.ApparmorProfile,
            OomScoreAdj = process.OOMScoreAdj,
            SelinuxLabel = process.SelinuxLabel,
        };
    }
}
