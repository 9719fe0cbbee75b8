namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// <c>-device vhost-user-fs-pci,id=ID,chardev=CHR,tag=TAG,queue-size=N[,cache-size=NM]</c>: the virtio-fs frontend
/// whose backend is a virtiofsd reached through the client chardev <paramref name="Chardev"/>. The guest mounts it by
/// <paramref name="Tag"/>.
/// </summary>
public sealed record VhostUserFsPci(string Id, string Chardev, string Tag) : IQemuArgs
{
    /// <summary>The request queue size (Kata's <c>virtio_fs_queue_size</c>, 1024 by default).</summary>
    public int QueueSize { get; init; } = 1024;

    /// <summary>The DAX window in MiB (<c>virtio_fs_cache_size</c>); 0 renders none, as DAX is off by default.</summary>
    public int CacheSizeMiB { get; init; }

    /// <inheritdoc />
    public IEnumerable<string> Render() =>
    [
        "-device",
        new QemuOptionList("vhost-user-fs-pci")
            .Add("id", Id)
            .Add("chardev", Chardev)
            .Add("tag", Tag)
            .Add("queue-size", QueueSize)
            .Add("cache-size", CacheSizeMiB > 0 ? $"{CacheSizeMiB}M" : null)
            .ToString(),
    ];
}
