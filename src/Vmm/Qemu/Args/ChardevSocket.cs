namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// <c>-chardev socket,id=ID,path=PATH,server=on,wait=off</c>: a unix socket QEMU listens on;
/// <c>wait=off</c> so QEMU boots without waiting for us to connect.
/// </summary>
public sealed record ChardevSocket(string Id, string Path) : IQemuArgs
{
    /// <summary>Whether QEMU listens (true) or connects (false).</summary>
    public bool Server { get; init; } = true;

    /// <summary>Whether a listening QEMU blocks start-up until a client connects.</summary>
    public bool Wait { get; init; }

    /// <inheritdoc />
    public IEnumerable<string> Render()
    {
        var options = new QemuOptionList("socket").Add("id", Id).Add("path", Path).Add("server", Server);
        if (Server)
        {
            options.Add("wait", Wait);
        }

        return ["-chardev", options.ToString()];
    }
}
