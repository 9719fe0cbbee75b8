namespace Sealpod.Config;

/// <summary>Kata's annotation name prefixes and the individual names Sealpod interprets outside a prefix family.</summary>
public static class KataAnnotations
{
    public const string Prefix = "io.katacontainers.";

    /// <summary>Every configuration annotation; the gated ones outside the hypervisor family are named after it.</summary>
    public const string ConfigPrefix = "io.katacontainers.config.";

    /// <summary>Hypervisor overrides; each needs <c>enable_annotations</c> to allow its base name.</summary>
    public const string HypervisorPrefix = "io.katacontainers.config.hypervisor.";

    public const string AgentPrefix = "io.katacontainers.config.agent.";

    public const string RuntimePrefix = "io.katacontainers.config.runtime.";

    /// <summary>Init-Data: base64(gzip(TOML)).</summary>
    public const string CcInitData = HypervisorPrefix + "cc_init_data";

    public const string KernelParams = HypervisorPrefix + "kernel_params";

    /// <summary>Agent policy (base64 Rego), delivered with SetPolicy by the shim rather than through the configuration.</summary>
    public const string AgentPolicy = AgentPrefix + "policy";

    /// <summary>Guest kernel modules the agent loads (gated by <c>enable_annotations</c> as "agent.kernel_modules").</summary>
    public const string AgentKernelModules = AgentPrefix + "kernel_modules";

    /// <summary>Kata defines this one outside the runtime family.</summary>
    public const string EnableVcpusPinning = Prefix + "enable_vcpus_pinning";

    /// <summary>CCv0 SEV pre-attestation switch (the CoCo SNP guide sets it to "false").</summary>
    public const string PreAttestationEnabled = Prefix + "config.pre_attestation.enabled";

    /// <summary>CCv0 SEV pre-attestation key broker address.</summary>
    public const string PreAttestationUri = Prefix + "config.pre_attestation.uri";

    /// <summary>CCv0 SEV guest policy.</summary>
    public const string SevPolicy = Prefix + "config.sev.policy";
}
