namespace Sealpod.HostCheck.Output;

/// <summary>How statuses and architectures are spelled in both output formats.</summary>
public static class StatusText
{
    public static string ToText(this CheckStatus status) => status switch
    {
        CheckStatus.Pass => "PASS",
        CheckStatus.Warn => "WARN",
        CheckStatus.Fail => "FAIL",
        _ => "SKIP",
    };

    public static string ToText(this CpuArchitecture architecture) => architecture switch
    {
        CpuArchitecture.X86_64 => "x86_64",
        CpuArchitecture.S390x => "s390x",
        CpuArchitecture.Aarch64 => "aarch64",
        _ => "unknown",
    };
}
