namespace Sealpod.HostCheck.Probing;

/// <summary>SEV_PLATFORM_STATUS (struct sev_user_data_status) or why it could not be read.</summary>
public sealed record SevStatusResult(SevPlatformStatus? Status, string? Error)
{
    public static SevStatusResult Failed(string error) => new(null, error);
}
