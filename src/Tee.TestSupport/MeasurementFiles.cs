namespace Sealpod.Tee.TestSupport;

/// <summary>A temporary directory holding the synthetic firmware, kernel and initrd; removed on dispose.</summary>
public sealed class MeasurementFiles : IDisposable
{
    public const string CommandLine = "tsc=reliable console=ttyS0 quiet panic=1 agent.confidential=true";

    /// <summary>Debian's OVMF (package ovmf, installed by make deps), which carries SEV metadata but no kernel hashes.</summary>
    public const string DebianOvmf = "/usr/share/OVMF/OVMF_CODE.fd";

    /// <summary>SHA-256 of ovmf 2022.11-6+deb12u2's OVMF_CODE.fd, on which the Debian goldens were recorded.</summary>
    public const string DebianOvmfSha256 = "d9b568def24088c92f34b5479e0ed7e44d0a4d4cea8a0f5716719180bba48106";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sealpod-measure-");

    public MeasurementFiles()
    {
        Firmware = Write("ovmf.fd", SyntheticOvmf.Build());
        Kernel = Write("vmlinuz", SyntheticOvmf.Kernel());
        Initrd = Write("initrd.img", SyntheticOvmf.Initrd());
    }

    public string Firmware { get; }

    public string Kernel { get; }

    public string Initrd { get; }

    public string Path(string name) => System.IO.Path.Join(_directory.FullName, name);

    public string Write(string name, byte[] contents)
    {
        var path = Path(name);
        File.WriteAllBytes(path, contents);
        return path;
    }

    /// <summary>A copy of <paramref name="source"/> with one byte flipped.</summary>
    public string WithOneByteChanged(string source, string name, int offset)
    {
        var bytes = File.ReadAllBytes(source);
        bytes[offset] ^= 0x01;
        return Write(name, bytes);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
