namespace Sealpod.InitData;

/// <summary>Init-Data that is malformed: not base64, not gzip, not TOML, or not what version 0.1.0 requires.</summary>
public sealed class InitDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InitDataException()
    {
    }

    /// <summary>Creates the exception with a message saying what was expected.</summary>
    public InitDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public InitDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
