namespace Sealpod.HostCheck.Host;

public enum ModuleState
{
    Missing,

    /// <summary>Shipped as a loadable module (modules.dep) but not loaded.</summary>
    NotLoaded,

    Loaded,

    BuiltIn,
}
