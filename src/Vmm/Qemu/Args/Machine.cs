namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// <c>-machine TYPE,accel=...,confidential-guest-support=...</c>. One subtype per machine type keeps
/// per-platform options typed instead of free-form strings.
/// </summary>
public abstract record Machine : IQemuArgs
{
    /// <summary>QEMU's machine type name, such as <c>q35</c>.</summary>
    public abstract string Type { get; }

    /// <summary>The accelerator, rendered as <c>accel=</c>.</summary>
    public required Accelerator Accelerator { get; init; }

    /// <summary>The TEE protecting this guest; its object id becomes <c>confidential-guest-support</c>.</summary>
    public ProtectionDevice Protection { get; init; } = ProtectionDevice.None;

    /// <summary>
    /// Extra machine options from the configuration (Kata's <c>machine_accelerators</c>), each one
    /// <c>key</c> or <c>key=value</c> item, already validated to contain no comma.
    /// </summary>
    public IReadOnlyList<string> ExtraOptions { get; init; } = [];

    /// <inheritdoc />
    public IEnumerable<string> Render()
    {
        var options = new QemuOptionList(Type).Add("accel", AcceleratorName(Accelerator));
        AddTypeOptions(options);
        foreach (var extra in ExtraOptions)
        {
            options.AddRaw(extra);
        }

        options.Add("confidential-guest-support", Protection.ObjectId);
        return ["-machine", options.ToString()];
    }

    /// <summary>Adds the options only this machine type knows.</summary>
    protected virtual void AddTypeOptions(QemuOptionList options)
    {
    }

    private static string AcceleratorName(Accelerator accelerator) => accelerator switch
    {
        Accelerator.Kvm => "kvm",
        Accelerator.Tcg => "tcg",
        _ => throw new ArgumentOutOfRangeException(nameof(accelerator), accelerator, "unknown accelerator"),
    };
}
