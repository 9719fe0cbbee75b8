namespace Sealpod.Agent.Attestation;

/// <summary>A TEE report that cannot be read or does not have the layout its interface promises.</summary>
public sealed class TeeReportException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TeeReportException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TeeReportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TeeReportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
