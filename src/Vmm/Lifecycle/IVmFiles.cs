namespace Sealpod.Vmm.Lifecycle;

/// <summary>The files one driver makes in a VM's runtime directory, so start-up, cleanup and the tests agree on them.</summary>
internal interface IVmFiles
{
    /// <summary>The runtime directory.</summary>
    string Directory { get; }

    /// <summary>Every file the driver may create, for cleanup.</summary>
    IEnumerable<string> All { get; }

    /// <summary>Throws <see cref="ArgumentException"/> when a socket path would not fit in a unix socket address.</summary>
    void ValidateSocketPaths();

    /// <summary>Removes everything the driver created, best effort.</summary>
    void DeleteAll();
}
