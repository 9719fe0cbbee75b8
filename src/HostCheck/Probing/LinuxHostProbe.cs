using System.ComponentModel;
using System.Runtime.Intrinsics.X86;
using CliWrap;
using CliWrap.Buffered;

namespace Sealpod.HostCheck.Probing;

/// <summary>
/// The probe of a live Linux host. Files are read below <see cref="Root"/> ("/" for the running host); CPUID,
/// the ioctls and commands act on the machine this process runs on.
/// </summary>
public sealed class LinuxHostProbe : IHostProbe
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(30);

    public LinuxHostProbe(string root = "/")
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public FileReadResult ReadFile(string path)
    {
        var real = Map(path);
        try
        {
            return FileReadResult.Read(path, File.ReadAllText(real));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return FileReadResult.Missing(path);
        }
        catch (UnauthorizedAccessException)
        {
            return FileReadResult.Failed(path, FileReadStatus.AccessDenied, "permission denied");
        }
        catch (IOException e)
        {
            return FileReadResult.Failed(path, FileReadStatus.Error, e.Message);
        }
    }

    public bool Exists(string path)
    {
        var real = Map(path);
        return File.Exists(real) || Directory.Exists(real);
    }

    public bool IsReadable(string path) => HasAccess(Map(path), LibC.R_OK);

    public bool IsExecutable(string path) => HasAccess(Map(path), LibC.X_OK);

    public IReadOnlyList<string> ListDirectory(string path)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(Map(path)).Select(Path.GetFileName).OfType<string>().ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(Map(path)).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public CpuIdResult? CpuId(uint leaf, uint subleaf)
    {
        if (!X86Base.IsSupported)
        {
            return null;
        }

        // A leaf above the range's maximum returns the highest basic leaf's data on Intel, so bound-check first.
        var rangeBase = leaf & 0xF000_0000;
        if (rangeBase == 0x4000_0000)
        {
            var (_, _, ecx, _) = X86Base.CpuId(1, 0);
            if ((ecx & (1u << 31)) == 0)
            {
                return null;
            }
        }

        var (max, _, _, _) = X86Base.CpuId(unchecked((int)(leaf & 0xFFFF_0000)), 0);
        if ((uint)max < leaf)
        {
            return null;
        }

        var (a, b, c, d) = X86Base.CpuId(unchecked((int)leaf), unchecked((int)subleaf));
        return new CpuIdResult((uint)a, (uint)b, (uint)c, (uint)d);
    }

    public KvmProbeResult OpenKvmAndCreateVm()
    {
        using var kvm = FileDescriptorHandle.OpenReadWrite(Map("/dev/kvm"));
        if (kvm.IsInvalid)
        {
            return new KvmProbeResult(false, -1, false, $"open /dev/kvm: {LibC.LastErrorText()}");
        }

        var version = LibC.Ioctl(kvm.Fd, KvmIoctls.GetApiVersion, 0);
        if (version < 0)
        {
            return new KvmProbeResult(true, -1, false, $"KVM_GET_API_VERSION: {LibC.LastErrorText()}");
        }

        if (version != KvmProbeResult.ExpectedApiVersion)
        {
            return new KvmProbeResult(true, version, false, $"KVM_GET_API_VERSION returned {version}, expected {KvmProbeResult.ExpectedApiVersion}");
        }

        using var vm = new FileDescriptorHandle(LibC.Ioctl(kvm.Fd, KvmIoctls.CreateVm, KvmIoctls.DefaultVmType));
        return vm.IsInvalid
            ? new KvmProbeResult(true, version, false, $"KVM_CREATE_VM: {LibC.LastErrorText()}")
            : new KvmProbeResult(true, version, true, null);
    }

    public unsafe SevStatusResult SevPlatformStatus()
    {
        using var sev = FileDescriptorHandle.OpenReadWrite(Map("/dev/sev"));
        if (sev.IsInvalid)
        {
            return SevStatusResult.Failed($"open /dev/sev: {LibC.LastErrorText()}");
        }

        var status = default(SevIoctls.SevUserDataStatus);
        var command = new SevIoctls.SevIssueCommand
        {
            Command = SevIoctls.PlatformStatusCommand,
            Data = (ulong)(nuint)(&status),
        };

        if (LibC.Ioctl(sev.Fd, SevIoctls.IssueCommand, (nint)(&command)) < 0)
        {
            // The firmware's own status code (SEV_RET_*) says more than errno when the PSP refused the command.
            return SevStatusResult.Failed($"SEV_ISSUE_CMD(PLATFORM_STATUS): {LibC.LastErrorText()}, firmware error 0x{command.Error:x}");
        }

        return new SevStatusResult(
            new SevPlatformStatus(status.ApiMajor, status.ApiMinor, status.State, status.Flags, status.Build, status.GuestCount),
            null);
    }

    public async Task<CommandResult> RunCommandAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        var commandLine = string.Join(' ', arguments.Prepend(fileName));
        var command = CliWrap.Cli.Wrap(fileName.Contains('/', StringComparison.Ordinal) ? Map(fileName) : fileName)
            .WithArguments(arguments)
            .WithValidation(CommandResultValidation.None);

        // stdin is an empty pipe, closed at once; cancelling (the caller or the time limit) kills the process tree.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_commandTimeout);
        try
        {
            var result = await command.ExecuteBufferedAsync(timeout.Token).ConfigureAwait(false);
            return new CommandResult(commandLine, result.ExitCode, result.StandardOutput, result.StandardError, null);
        }
        catch (Win32Exception e)
        {
            // CliWrap's own message is generic; the inner one says what exec refused (no such file, permission denied).
            return CommandResult.Failed(commandLine, $"cannot run: {e.InnerException?.Message ?? e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CommandResult.Failed(commandLine, $"no exit within {s_commandTimeout.TotalSeconds:0} s (killed)");
        }
    }

    // access(2) answers for this process's real uid, which is who runs the VMM; directories do not count.
    private static bool HasAccess(string real, int mode) => File.Exists(real) && LibC.Access(real, mode) == 0;

    private string Map(string path)
    {
        if (!Path.IsPathRooted(path))
        {
            throw new ArgumentException($"host paths are absolute, got '{path}'", nameof(path));
        }

        return Root == "/" ? path : Path.Join(Root, path);
    }
}
