namespace Sealpod.Tee.Host;

/// <summary>The configuration asks for a TEE this host cannot launch; names the host file that says so.</summary>
public sealed class TeeHostUnsupportedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TeeHostUnsupportedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TeeHostUnsupportedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TeeHostUnsupportedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception from the failed check.</summary>
    public TeeHostUnsupportedException(TeeHostCheck check)
        : base(Describe(check))
    {
        Check = check;
    }

    /// <summary>Creates the exception when no TEE at all was found, listing every file checked.</summary>
    public TeeHostUnsupportedException(string configurationKey, IReadOnlyList<TeeHostCheck> checks)
        : base($"{configurationKey} = true, but this host offers no TEE Sealpod can launch: "
            + string.Join("; ", checks.Select(c => $"{c.CheckedFile}: {c.Reason}")))
    {
        Checks = checks;
    }

    /// <summary>The failed check, when one TEE was asked for.</summary>
    public TeeHostCheck? Check { get; }

    /// <summary>Every check made, when the host was searched for any TEE.</summary>
    public IReadOnlyList<TeeHostCheck> Checks { get; } = [];

    private static string Describe(TeeHostCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return $"this host cannot launch {TeeNames.Describe(check.Kind)} guests: {check.CheckedFile}: {check.Reason}";
    }
}
