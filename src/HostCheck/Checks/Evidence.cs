namespace Sealpod.HostCheck.Checks;

/// <summary>One fact a check relied on: where it came from (a file, CPUID leaf, ioctl or command) and the value found.</summary>
public sealed record Evidence(string Source, string Value)
{
    /// <summary>The CPU's vendor_id as read, for the checks that apply to one vendor only.</summary>
    public static Evidence CpuVendor(CpuInfo cpu) => new($"{CpuInfo.Path} vendor_id", cpu.VendorId.Length > 0 ? cpu.VendorId : "<unknown>");

    public override string ToString() => $"{Source}: {Value}";
}
