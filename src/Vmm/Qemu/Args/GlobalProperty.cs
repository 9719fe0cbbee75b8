namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-global DRIVER.PROPERTY=VALUE</c>: a default for every device of a driver.</summary>
public sealed record GlobalProperty(string Driver, string Property, string Value) : IQemuArgs
{
    /// <summary>Drop, rather than replay, PIT ticks a descheduled vCPU missed (Kata sets this under KVM).</summary>
    public static GlobalProperty KvmPitDiscardLostTicks { get; } = new("kvm-pit", "lost_tick_policy", "discard");

    /// <inheritdoc />
    public IEnumerable<string> Render() => ["-global", $"{Driver}.{Property}={QemuOptionList.Escape(Value)}"];
}
