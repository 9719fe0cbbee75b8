namespace Sealpod.Vmm;

/// <summary>The configuration asks for something this driver cannot do; names the key and what would work.</summary>
public sealed class HypervisorConfigurationException : HypervisorException
{
    /// <summary>Creates the exception.</summary>
    public HypervisorConfigurationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public HypervisorConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public HypervisorConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for one configuration key.</summary>
    /// <param name="key">The key, with its section (<c>hypervisor.qemu.machine_type</c>).</param>
    /// <param name="problem">What is wrong and what is expected.</param>
    public HypervisorConfigurationException(string key, string problem, Exception? innerException = null)
        : base($"{key}: {problem}", innerException)
    {
        Key = key;
    }

    /// <summary>The offending key.</summary>
    public string Key { get; } = string.Empty;
}
