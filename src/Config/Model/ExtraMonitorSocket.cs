namespace Sealpod.Config;

/// <summary><c>extra_monitor_socket</c>: a debug-only extra QEMU monitor.</summary>
public enum ExtraMonitorSocket
{
    /// <summary>Empty string: no extra socket (default).</summary>
    None,

    /// <summary><c>hmp</c>.</summary>
    Hmp,

    /// <summary><c>qmp</c>.</summary>
    Qmp,

    /// <summary><c>qmp-pretty</c>.</summary>
    QmpPretty,
}
