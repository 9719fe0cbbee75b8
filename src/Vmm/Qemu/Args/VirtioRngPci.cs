namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-device virtio-rng-pci,rng=ID</c>: entropy for the guest, so early boot does not stall on getrandom.</summary>
public sealed record VirtioRngPci(string Id, string RngId) : IQemuArgs
{
    /// <inheritdoc />
    public IEnumerable<string> Render() =>
        ["-device", new QemuOptionList("virtio-rng-pci").Add("rng", RngId).Add("id", Id).ToString()];
}
