namespace Sealpod.Tee.Measurement;

/// <summary>The inputs cannot be measured (a firmware without the table a mode needs, a missing file, a bad value).</summary>
public sealed class MeasurementException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MeasurementException()
    {
    }

    /// <summary>Creates the exception with a message naming the input and what was expected.</summary>
    public MeasurementException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public MeasurementException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
