namespace Sealpod.Config;

/// <summary><c>hot_plug_vfio</c> / <c>cold_plug_vfio</c>: where VFIO devices are plugged.</summary>
public enum PciePort
{
    /// <summary><c>no-port</c> (default: disabled).</summary>
    NoPort,

    /// <summary><c>bridge-port</c>.</summary>
    BridgePort,

    /// <summary><c>root-port</c>.</summary>
    RootPort,

    /// <summary><c>switch-port</c>.</summary>
    SwitchPort,
}
