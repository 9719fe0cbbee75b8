namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// <c>-object memory-backend-file,id=ID,size=NM,mem-path=DIR,share=on</c>: guest RAM in a file the host can map.
/// vhost-user devices (virtiofsd) need it shared, because the daemon reads and writes the guest's buffers directly.
/// </summary>
public sealed record MemoryBackendFile(string Id, long SizeMiB, string MemPath) : IQemuArgs
{
    /// <summary>Whether other processes see the same pages (<c>share=on</c>); vhost-user requires it.</summary>
    public bool Share { get; init; } = true;

    /// <inheritdoc />
    public IEnumerable<string> Render() =>
    [
        "-object",
        new QemuOptionList("memory-backend-file")
            .Add("id", Id)
            .Add("size", SizeMiB.ToString(CultureInfo.InvariantCulture) + "M")
            .Add("mem-path", MemPath)
            .Add("share", Share)
            .ToString(),
    ];
}
