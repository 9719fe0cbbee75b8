namespace Sealpod.Agent.Errors;

/// <summary>The OCI runtime CLI (runc/crun) failed; the message carries its own explanation.</summary>
internal sealed class OciRuntimeException : Exception
{
    public OciRuntimeException(string message)
        : base(message)
    {
    }

    public OciRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
