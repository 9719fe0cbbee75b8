namespace Sealpod.Config;

/// <summary>The agent, runtime and CCv0 SEV annotations (which of them are gated: <c>AnnotationOverrides.Gates.cs</c>).</summary>
internal static partial class AnnotationOverrides
{
    private static readonly FrozenDictionary<string, Handler> AgentHandlers = new Dictionary<string, Handler>
    {
        // Kata: semicolon-separated "name param=value ..." entries.
        ["kernel_modules"] = (s, v) =>
        {
            s.Agent = s.Agent with
            {
                KernelModules = v.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToEquatableArray(),
            };
            return null;
        },
        ["enable_tracing"] = (s, v) => ParseBool(v, b => s.Agent = s.Agent with { EnableTracing = b }),
        ["container_pipe_size"] = (s, v) => ParseUInt(v, 0, uint.MaxValue, "an integer number of bytes >= 0", n => s.Agent = s.Agent with { ContainerPipeSize = (int)Math.Min(n, int.MaxValue) }),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, Handler> RuntimeHandlers = new Dictionary<string, Handler>
    {
        ["disable_guest_seccomp"] = (s, v) => ParseBool(v, b => s.Runtime = s.Runtime with { DisableGuestSeccomp = b }),
        ["sandbox_cgroup_only"] = (s, v) => ParseBool(v, b => s.Runtime = s.Runtime with { SandboxCgroupOnly = b }),
        ["enable_pprof"] = (s, v) => ParseBool(v, b => s.Runtime = s.Runtime with { EnablePprof = b }),
        ["disable_new_netns"] = (s, v) => ParseBool(v, b => s.Runtime = s.Runtime with { DisableNewNetNs = b }),
        ["experimental_force_guest_pull"] = (s, v) => ParseBool(v, b => s.Runtime = s.Runtime with { ExperimentalForceGuestPull = b }),
        ["experimental"] = (s, v) =>
        {
            s.Runtime = s.Runtime with
            {
                Experimental = v.Split([' ', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToEquatableArray(),
            };
            return null;
        },
        ["internetworking_model"] = (s, v) => ParseChoice(v, ConfigChoices.InternetworkingModel, m => s.Runtime = s.Runtime with { InternetworkingModel = m }),
        ["vfio_mode"] = (s, v) => ParseChoice(v, ConfigChoices.VfioMode, m => s.Runtime = s.Runtime with { VfioMode = m }),
        ["create_container_timeout"] = (s, v) => ParseUInt(v, 1, 86_400, "an integer number of seconds between 1 and 86400", n => s.Runtime = s.Runtime with { CreateContainerTimeout = TimeSpan.FromSeconds(n) }),
        ["guest_selinux_label"] = (s, v) =>
        {
            s.Runtime = s.Runtime with { GuestSeLinuxLabel = v };
            return null;
        },
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, Handler> OtherHandlers = new Dictionary<string, Handler>
    {
        [KataAnnotations.EnableVcpusPinning] = (s, v) => ParseBool(v, b => s.Runtime = s.Runtime with { EnableVcpusPinning = b }),
        [KataAnnotations.PreAttestationEnabled] = (s, v) => s.Hypervisor is QemuConfig q
            ? ParseBool(v, b => s.Hypervisor = q with { GuestPreAttestation = b })
            : NotForKind(s),
        [KataAnnotations.PreAttestationUri] = (s, v) => s.Hypervisor is QemuConfig q
            ? Set(() => s.Hypervisor = q with { GuestPreAttestationKbsUri = v })
            : NotForKind(s),
        [KataAnnotations.SevPolicy] = (s, v) => s.Hypervisor is QemuConfig q
            ? ParseUInt(v, 0, uint.MaxValue, "an integer SEV policy between 0 and 4294967295", n => s.Hypervisor = q with { SevGuestPolicy = (uint)n })
            : NotForKind(s),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The hypervisor key each CCv0 SEV annotation sets, so a cross-key rule it breaks is blamed on it.</summary>
    private static readonly FrozenDictionary<string, string> OtherKeys = new Dictionary<string, string>
    {
        [KataAnnotations.PreAttestationEnabled] = "guest_pre_attestation",
        [KataAnnotations.PreAttestationUri] = "guest_pre_attestation_kbs_uri",
        [KataAnnotations.SevPolicy] = "sev_guest_policy",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static string? ParseBool(string value, Action<bool> set)
    {
        if (!AnnotationValues.TryBool(value, out var b))
        {
            return $"{BoolExpectation}, {AnnotationValues.Found(value)}";
        }

        set(b);
        return null;
    }

    private static string? ParseUInt(string value, ulong min, ulong max, string expectation, Action<ulong> set)
    {
        if (!AnnotationValues.TryUInt(value, max, out var n) || n < min)
        {
            return $"expected {expectation}, {AnnotationValues.Found(value)}";
        }

        set(n);
        return null;
    }

    private static string? ParseChoice<T>(string value, ConfigChoice<T> choice, Action<T> set)
        where T : struct, Enum
    {
        if (!choice.TryParse(value, out var parsed))
        {
            return $"expected {choice.Describe()}, {AnnotationValues.Found(value)}";
        }

        set(parsed);
        return null;
    }

    private static string? Set(Action set)
    {
        set();
        return null;
    }
}
