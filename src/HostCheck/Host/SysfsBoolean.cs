namespace Sealpod.HostCheck.Host;

/// <summary>Module parameters print booleans as Y/N, integers as 1/0 (kvm_amd's sev was an int before Linux 5.x).</summary>
public static class SysfsBoolean
{
    public static bool? Parse(string? value) => value?.Trim() switch
    {
        "Y" or "y" or "1" => true,
        "N" or "n" or "0" => false,
        _ => null,
    };
}
