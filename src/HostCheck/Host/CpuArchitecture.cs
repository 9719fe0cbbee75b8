namespace Sealpod.HostCheck.Host;

public enum CpuArchitecture
{
    Unknown,
    X86_64,
    S390x,
    Aarch64,
}
