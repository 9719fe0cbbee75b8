using System.Globalization;

namespace Sealpod.HostCheck.Tests.Support;

/// <summary>
/// A host made of a fixture folder: <c>root/</c> is the host's file system (procfs, sysfs, /dev, /etc, binaries),
/// <c>probe.json</c> what cannot be a file: CPUID leaves, the KVM and SEV ioctl outcomes, and command outputs
/// (the QEMU versions these hosts would have are not installed here). Files go through the real probe so the
/// path mapping under test is the production one. Directories named <c>bin</c> are stored as <c>bin.fixture</c>:
/// the repository's .gitignore drops <c>bin/</c> and <c>make clean</c> deletes every <c>bin</c> directory.
/// </summary>
internal sealed class FixtureHostProbe : IHostProbe
{
    private readonly LinuxHostProbe _files;
    private readonly string _directory;
    private readonly JsonElement _probe;

    public FixtureHostProbe(string name)
    {
        _directory = FixturePaths.Host(name);
        _files = new LinuxHostProbe(Path.Combine(_directory, "root"));
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "probe.json")));
        _probe = document.RootElement.Clone();
    }

    public string Root => _files.Root;

    public List<string> CommandsRun { get; } = [];

    public int KvmProbes { get; private set; }

    public FileReadResult ReadFile(string path) => _files.ReadFile(ToFixture(path)) with { Path = path };

    public bool Exists(string path) => _files.Exists(ToFixture(path));

    public bool IsReadable(string path) => _files.IsReadable(ToFixture(path));

    public bool IsExecutable(string path) => _files.IsExecutable(ToFixture(path));

    public IReadOnlyList<string> ListDirectory(string path) =>
        _files.ListDirectory(ToFixture(path)).Select(name => name == FixtureBin ? "bin" : name).ToArray();

    public string? ReadLink(string path) => _files.ReadLink(ToFixture(path));

    public CpuIdResult? CpuId(uint leaf, uint subleaf)
    {
        if (!_probe.TryGetProperty("cpuid", out var leaves) || !leaves.TryGetProperty($"0x{leaf:x8}", out var regs))
        {
            return null;
        }

        return new CpuIdResult(Hex(regs[0]), Hex(regs[1]), Hex(regs[2]), Hex(regs[3]));
    }

    public KvmProbeResult OpenKvmAndCreateVm()
    {
        KvmProbes++;
        if (!Exists("/dev/kvm"))
        {
            return new KvmProbeResult(false, -1, false, "open /dev/kvm: No such file or directory (errno 2)");
        }

        var kvm = _probe.GetProperty("kvm");
        return new KvmProbeResult(
            kvm.GetProperty("opened").GetBoolean(),
            kvm.GetProperty("apiVersion").GetInt32(),
            kvm.GetProperty("vmCreated").GetBoolean(),
            kvm.TryGetProperty("error", out var e) ? e.GetString() : null);
    }

    public SevStatusResult SevPlatformStatus()
    {
        if (!Exists("/dev/sev") || !_probe.TryGetProperty("sev", out var sev))
        {
            return SevStatusResult.Failed("open /dev/sev: No such file or directory (errno 2)");
        }

        if (sev.TryGetProperty("error", out var error))
        {
            return SevStatusResult.Failed(error.GetString()!);
        }

        return new SevStatusResult(
            new SevPlatformStatus(
                sev.GetProperty("apiMajor").GetByte(),
                sev.GetProperty("apiMinor").GetByte(),
                sev.GetProperty("state").GetByte(),
                sev.GetProperty("flags").GetUInt32(),
                sev.GetProperty("build").GetByte(),
                sev.GetProperty("guestCount").GetUInt32()),
            null);
    }

    public Task<CommandResult> RunCommandAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        var commandLine = string.Join(' ', arguments.Prepend(fileName));
        CommandsRun.Add(commandLine);
        if (!_probe.GetProperty("commands").TryGetProperty(commandLine, out var command))
        {
            return Task.FromResult(CommandResult.Failed(commandLine, "cannot run: not in the fixture"));
        }

        var stdout = File.ReadAllText(Path.Combine(_directory, command.GetProperty("stdoutFile").GetString()!));
        return Task.FromResult(new CommandResult(commandLine, command.GetProperty("exitCode").GetInt32(), stdout, "", null));
    }

    private const string FixtureBin = "bin.fixture";

    private static string ToFixture(string path) =>
        string.Join('/', path.Split('/').Select(part => part == "bin" ? FixtureBin : part));

    private static uint Hex(JsonElement value) =>
        uint.Parse(value.GetString()!.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
