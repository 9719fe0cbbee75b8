using System.Text;

namespace Sealpod.Vmm.CloudHypervisor;

/// <summary>The files of one Cloud Hypervisor VM inside its runtime directory.</summary>
public sealed record ClhVmFiles(string Directory)
{
    // sockaddr_un.sun_path is 108 bytes including the terminating NUL.
    private const int MaxUnixSocketPathBytes = 107;

    /// <summary>The REST API socket (<c>--api-socket</c>).</summary>
    public string ApiSocket => Path.Combine(Directory, "clh-api.sock");

    /// <summary>The hybrid vsock socket the agent is reached through (Kata's <c>kata.hvsock</c>).</summary>
    public string VsockSocket => Path.Combine(Directory, "kata.hvsock");

    /// <summary>The guest serial console.</summary>
    public string ConsoleLog => Path.Combine(Directory, "console.log");

    /// <summary>Cloud Hypervisor's own stdout and stderr.</summary>
    public string HypervisorLog => Path.Combine(Directory, "clh.log");

    /// <summary>The Init-Data disk image.</summary>
    public string InitDataImage => Path.Combine(Directory, "initdata.img");

    /// <summary>Every file the driver may create, for cleanup.</summary>
    public IEnumerable<string> All => [ApiSocket, VsockSocket, ConsoleLog, HypervisorLog, InitDataImage];

    /// <summary>Throws when a socket path would not fit in a unix socket address.</summary>
    public void ValidateSocketPaths()
    {
        foreach (var socket in (ReadOnlySpan<string>)[ApiSocket, VsockSocket])
        {
            if (Encoding.UTF8.GetByteCount(socket) > MaxUnixSocketPathBytes)
            {
                throw new ArgumentException(
                    $"runtime directory '{Directory}' is too long: socket path '{socket}' exceeds {MaxUnixSocketPathBytes} bytes",
                    nameof(Directory));
            }
        }
    }

    /// <summary>Removes everything the driver created.</summary>
    public void DeleteAll()
    {
        foreach (var file in All)
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: cleanup runs on failure paths and must not hide the original error.
            }
        }
    }
}
