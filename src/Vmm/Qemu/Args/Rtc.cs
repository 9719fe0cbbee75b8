namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-rtc base=utc,driftfix=slew,clock=host</c>: Kata's clock settings (guest time follows the host).</summary>
public sealed record Rtc : IQemuArgs
{
    /// <summary><c>base</c>: <c>utc</c> or <c>localtime</c>.</summary>
    public string Base { get; init; } = "utc";

    /// <summary><c>driftfix</c>: <c>slew</c> catches up lost ticks.</summary>
    public string DriftFix { get; init; } = "slew";

    /// <summary><c>clock</c>: <c>host</c> follows the host's clock.</summary>
    public string Clock { get; init; } = "host";

    /// <inheritdoc />
    public IEnumerable<string> Render() =>
        ["-rtc", new QemuOptionList().Add("base", Base).Add("driftfix", DriftFix).Add("clock", Clock).ToString()];
}
