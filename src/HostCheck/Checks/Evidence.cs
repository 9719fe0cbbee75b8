namespace Sealpod.HostCheck.Checks;

/// <summary>One fact a check relied on: where it came from (a file, CPUID leaf, ioctl or command) and the value found.</summary>
public sealed record Evidence(string Source, string Value)
{
    public override string ToString() => $"{Source}: {Value}";
}
