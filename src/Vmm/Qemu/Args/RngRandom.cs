namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-object rng-random,id=ID,filename=/dev/urandom</c>: the host entropy backend.</summary>
public sealed record RngRandom(string Id, string Filename = "/dev/urandom") : IQemuArgs
{
    /// <inheritdoc />
    public IEnumerable<string> Render() =>
        ["-object", new QemuOptionList("rng-random").Add("id", Id).Add("filename", Filename).ToString()];
}
