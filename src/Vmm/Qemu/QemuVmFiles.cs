using System.Text;

namespace Sealpod.Vmm.Qemu;

/// <summary>
/// The files of one QEMU VM inside its runtime directory. Kept in one place so start-up, cleanup
/// and the tests agree on what the driver creates.
/// </summary>
public sealed record QemuVmFiles(string Directory)
{
    // sockaddr_un.sun_path is 108 bytes including the terminating NUL.
    private const int MaxUnixSocketPathBytes = 107;

    /// <summary>The QMP control socket.</summary>
    public string QmpSocket => Path.Combine(Directory, "qmp.sock");

    /// <summary>The virtio-serial agent socket.</summary>
    public string AgentSocket => Path.Combine(Directory, "agent.sock");

    /// <summary>The guest serial console.</summary>
    public string ConsoleLog => Path.Combine(Directory, "console.log");

    /// <summary>QEMU's own stdout and stderr.</summary>
    public string HypervisorLog => Path.Combine(Directory, "qemu.log");

    /// <summary>QEMU's pid file.</summary>
    public string PidFile => Path.Combine(Directory, "qemu.pid");

    /// <summary>virtiofsd's vhost-user socket (virtiofsd listens, QEMU connects).</summary>
    public string VirtiofsdSocket => Path.Combine(Directory, "vhost-fs.sock");

    /// <summary>virtiofsd's own stdout and stderr.</summary>
    public string VirtiofsdLog => Path.Combine(Directory, "virtiofsd.log");

    /// <summary>The Init-Data disk image (Kata's initdata format), attached read-only.</summary>
    public string InitDataImage => Path.Combine(Directory, "initdata.img");

    /// <summary>SEV pre-attestation: the guest owner's DH certificate from the key broker (QEMU's dh-cert-file).</summary>
    public string SevDhCertFile => Path.Combine(Directory, Sealpod.Tee.PreAttestation.SevPreAttestation.DhCertFileName);

    /// <summary>SEV pre-attestation: the launch session blob from the key broker (QEMU's session-file).</summary>
    public string SevSessionFile => Path.Combine(Directory, Sealpod.Tee.PreAttestation.SevPreAttestation.SessionFileName);

    /// <summary>Every file the driver may create, for cleanup.</summary>
    public IEnumerable<string> All => [QmpSocket, AgentSocket, ConsoleLog, HypervisorLog, PidFile, VirtiofsdSocket, VirtiofsdLog, InitDataImage, SevDhCertFile, SevSessionFile];

    /// <summary>Throws when a socket path would not fit in a unix socket address.</summary>
    public void ValidateSocketPaths()
    {
        foreach (var socket in (ReadOnlySpan<string>)[QmpSocket, AgentSocket, VirtiofsdSocket])
        {
            if (Encoding.UTF8.GetByteCount(socket) > MaxUnixSocketPathBytes)
            {
                throw new ArgumentException(
                    $"runtime directory '{Directory}' is too long: socket path '{socket}' exceeds {MaxUnixSocketPathBytes} bytes",
                    nameof(Directory));
            }
        }
    }

    /// <summary>Removes what one QEMU process made (sockets, logs, pid file), keeping the inputs prepared for it.</summary>
    public void DeleteProcessFiles()
    {
        foreach (var file in (ReadOnlySpan<string>)[QmpSocket, AgentSocket, ConsoleLog, HypervisorLog, PidFile, VirtiofsdSocket, VirtiofsdLog])
        {
            TryDelete(file);
        }
    }

    /// <summary>Removes the sockets and pid file, which mean nothing once QEMU is gone.</summary>
    public void DeleteRuntimeFiles()
    {
        TryDelete(QmpSocket);
        TryDelete(AgentSocket);
        TryDelete(PidFile);
        TryDelete(VirtiofsdSocket);
    }

    /// <summary>Removes everything the driver created.</summary>
    public void DeleteAll()
    {
        foreach (var file in All)
        {
            TryDelete(file);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: cleanup runs on failure paths and must not hide the original error.
        }
    }
}
