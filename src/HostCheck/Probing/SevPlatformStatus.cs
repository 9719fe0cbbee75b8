namespace Sealpod.HostCheck.Probing;

/// <summary>The firmware's answer to PLATFORM_STATUS: API version, platform state, config flags, build and guest count.</summary>
public sealed record SevPlatformStatus(byte ApiMajor, byte ApiMinor, byte State, uint Flags, byte Build, uint GuestCount)
{
    /// <summary>SEV_STATUS_FLAGS_CONFIG_ES: the platform was initialised with SEV-ES enabled.</summary>
    public const uint ConfigEsFlag = 0x0100;

    public string ApiVersion => $"{ApiMajor}.{ApiMinor}";

    /// <summary>UNINIT, INIT or WORKING, as the SEV API specification names the states.</summary>
    public string StateName => State switch
    {
        0 => "UNINIT",
        1 => "INIT",
        2 => "WORKING",
        _ => $"state {State}",
    };

    public bool ApiAtLeast(int major, int minor) => ApiMajor > major || (ApiMajor == major && ApiMinor >= minor);

    public override string ToString() => $"API {ApiVersion} build {Build}, {StateName}, flags 0x{Flags:x}, {GuestCount} guests";
}
