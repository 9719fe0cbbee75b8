namespace Sealpod.HostCheck.Probing;

public enum FileReadStatus
{
    Ok,
    NotFound,
    AccessDenied,
    Error,
}
