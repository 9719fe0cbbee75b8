namespace Sealpod.HostCheck.Containerd;

public enum ContainerdConfigStatus
{
    Missing,
    Invalid,
    Unsupported,
    Ok,
}
