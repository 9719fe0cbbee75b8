namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// <c>-blockdev driver=raw,node-name=N,read-only=on,[cache.*,]file.driver=file,file.filename=PATH[,file.aio=A]</c>:
/// a raw image backend. The frontend (<see cref="VirtioBlkPci"/> or <see cref="ScsiHd"/>) refers to it by node name.
/// </summary>
public sealed record Blockdev(string NodeName, string Filename) : IQemuArgs
{
    /// <summary>Whether the guest may only read the image.</summary>
    public bool ReadOnly { get; init; } = true;

    /// <summary>The file node's I/O mechanism: <c>threads</c>, <c>native</c> (needs direct cache) or <c>io_uring</c>; null for QEMU's default.</summary>
    public string? Aio { get; init; }

    /// <summary><c>cache.direct</c>: bypass the host page cache; null leaves QEMU's default.</summary>
    public bool? CacheDirect { get; init; }

    /// <summary><c>cache.no-flush</c>: ignore guest flush requests; null leaves QEMU's default.</summary>
    public bool? CacheNoFlush { get; init; }

    /// <inheritdoc />
    public IEnumerable<string> Render() =>
    [
        "-blockdev",
        new QemuOptionList()
            .Add("driver", "raw")
            .Add("node-name", NodeName)
            .Add("read-only", ReadOnly)
            .Add("cache.direct", CacheDirect)
            .Add("cache.no-flush", CacheNoFlush)
            .Add("file.driver", "file")
            .Add("file.filename", Filename)
            .Add("file.aio", Aio)
            .ToString(),
    ];
}
