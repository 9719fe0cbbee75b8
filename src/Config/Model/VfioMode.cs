namespace Sealpod.Config;

/// <summary><c>vfio_mode</c>.</summary>
public enum VfioMode
{
    /// <summary><c>guest-kernel</c> (default).</summary>
    GuestKernel,

    /// <summary><c>vfio</c>.</summary>
    Vfio,
}
