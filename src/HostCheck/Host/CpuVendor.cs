namespace Sealpod.HostCheck.Host;

public enum CpuVendor
{
    Unknown,
    Amd,
    Intel,
    Ibm,
    Arm,
}
