namespace Sealpod.Tee.Launch;

/// <summary>A TEE setting that cannot be launched as configured; names the key or annotation.</summary>
public sealed class TeeConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TeeConfigurationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TeeConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public TeeConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one key.</summary>
    /// <param name="key">The key with its section (<c>hypervisor.qemu.snp_certs_path</c>) or the annotation name.</param>
    /// <param name="problem">What is wrong and what would work.</param>
    public TeeConfigurationException(string key, string problem, Exception? innerException = null)
        : base($"{key}: {problem}", innerException)
    {
        Key = key;
    }

    /// <summary>The offending key or annotation.</summary>
    public string Key { get; } = string.Empty;
}
