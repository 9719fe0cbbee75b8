namespace Sealpod.Agent.Attestation;

/// <summary>The Init-Data the guest holds is not the one the hardware says the host launched it with.</summary>
public sealed class InitDataBindingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InitDataBindingException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public InitDataBindingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public InitDataBindingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
