namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-chardev file,id=ID,path=PATH</c>: output appended to a file, such as the console log.</summary>
public sealed record ChardevFile(string Id, string Path) : IQemuArgs
{
    /// <inheritdoc />
    public IEnumerable<string> Render() => ["-chardev", new QemuOptionList("file").Add("id", Id).Add("path", Path).ToString()];
}
