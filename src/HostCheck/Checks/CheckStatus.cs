namespace Sealpod.HostCheck.Checks;

/// <summary>The outcome of one check. The order is by severity so reports can sort and summarise with it.</summary>
public enum CheckStatus
{
    /// <summary>Not applicable on this host or for this configuration; the evidence says why.</summary>
    Skip,

    Pass,

    /// <summary>Works, with a limitation the remedy explains; never changes the exit status.</summary>
    Warn,

    /// <summary>Sealpod cannot run (this configuration) here until the remedy is applied; exit status 1.</summary>
    Fail,
}
