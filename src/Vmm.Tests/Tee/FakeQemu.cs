namespace Sealpod.Vmm.Tests.Tee;

/// <summary>
/// A shell script that answers QEMU's introspection (--version, -object help, -object TYPE,help) as a newer QEMU
/// would: the only stand-in for QEMU in these tests, used solely to simulate a release this machine does not have
/// (Debian 12 ships 7.2, which lacks sev-snp-guest and tdx-guest). It logs each call so caching can be checked.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class FakeQemu : IDisposable
{
    private readonly TempDirectory _dir = new();

    public FakeQemu(string version, string[] objects, IReadOnlyDictionary<string, string[]> properties)
    {
        Path = _dir.File("qemu-system-x86_64");
        var cases = string.Join('\n', properties.Select(p =>
            $"  \"-object {p.Key},help\") printf '{p.Key} options:\\n{string.Concat(p.Value.Select(v => $"  {v}=<string>\\n"))}' ;;"));
        File.WriteAllText(Path, $$"""
            #!/bin/sh
            echo "$*" >> "{{CallLog}}"
            case "$*" in
              "--version") printf 'QEMU emulator version {{version}}\nCopyright (c) 2003-2024 Fabrice Bellard and the QEMU Project developers\n' ;;
              "-object help") printf 'List of user creatable objects:\n{{string.Concat(objects.Select(o => $"  {o}\\n"))}}' ;;
            {{cases}}
              *) echo "qemu: unexpected arguments: $*" >&2; exit 1 ;;
            esac

            """);
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Path { get; }

    public string CallLog => _dir.File("calls.log");

    public string[] Calls => File.Exists(CallLog) ? File.ReadAllLines(CallLog) : [];

    public void Dispose() => _dir.Dispose();
}
