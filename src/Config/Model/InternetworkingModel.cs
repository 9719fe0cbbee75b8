namespace Sealpod.Config;

/// <summary><c>internetworking_model</c>: how the VM is wired to the pod network.</summary>
public enum InternetworkingModel
{
    /// <summary><c>tcfilter</c> (default; <c>default</c> is accepted as a synonym, as Kata does).</summary>
    TcFilter,

    /// <summary><c>macvtap</c>.</summary>
    MacVtap,

    /// <summary><c>none</c>: only a tap device.</summary>
    None,
}
