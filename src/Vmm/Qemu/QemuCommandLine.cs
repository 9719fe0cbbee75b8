namespace Sealpod.Vmm.Qemu;

/// <summary>
/// A whole QEMU command line composed from typed parts. The singletons (machine, cpu, memory...)
/// are named properties so there is exactly one of each; devices and their backends are added in
/// order, backend before the frontend that refers to it. <see cref="Build"/> renders argv in a fixed
/// order, which is what the golden fixtures pin down.
/// </summary>
/// <remarks>
/// Every sandbox VM gets <c>-nodefaults -no-user-config -display none -no-reboot</c>: all devices
/// are ours, host config files cannot change the VM, nothing touches stdio, and a guest reboot ends
/// the VM instead of restarting it behind the runtime's back.
/// </remarks>
public sealed class QemuCommandLine
{
    private readonly List<IQemuArgs> _devices = [];

    /// <summary><c>-name</c>.</summary>
    public required VmName Name { get; init; }

    /// <summary><c>-machine</c>, which also carries the accelerator and the TEE reference.</summary>
    public required Machine Machine { get; init; }

    /// <summary><c>-cpu</c>.</summary>
    public required Cpu Cpu { get; init; }

    /// <summary><c>-smp</c>.</summary>
    public required Smp Smp { get; init; }

    /// <summary><c>-m</c>.</summary>
    public required Memory Memory { get; init; }

    /// <summary><c>-bios</c> or pflash drives; null for QEMU's default firmware.</summary>
    public Firmware? Firmware { get; init; }

    /// <summary><c>-kernel</c>; null to boot from firmware.</summary>
    public Kernel? Kernel { get; init; }

    /// <summary><c>-initrd</c>.</summary>
    public Initrd? Initrd { get; init; }

    /// <summary><c>-append</c>.</summary>
    public KernelAppend? Append { get; init; }

    /// <summary><c>-pidfile</c>.</summary>
    public PidFile? PidFile { get; init; }

    /// <summary>Whether to render <c>-S</c> (vCPUs stopped until <c>cont</c>).</summary>
    public bool FreezeAtStartup { get; init; }

    /// <summary>Devices, backends and other repeatable parts in the order added.</summary>
    public IReadOnlyList<IQemuArgs> Devices => _devices;

    /// <summary>Appends a part; returns this for chaining.</summary>
    public QemuCommandLine Add(IQemuArgs part)
    {
        ArgumentNullException.ThrowIfNull(part);
        _devices.Add(part);
        return this;
    }

    /// <summary>Renders the arguments (without the binary).</summary>
    public IReadOnlyList<string> Build() => Build(forLog: false);

    /// <summary>
    /// The arguments as the host log may show them: the same entries in the same order, with the values of kernel
    /// parameters that name endpoints or credentials and the Init-Data digest a TEE binds replaced by a placeholder.
    /// </summary>
    public IReadOnlyList<string> BuildForLog() => Build(forLog: true);

    private List<string> Build(bool forLog)
    {
        IEnumerable<string> Render(IQemuArgs part) => forLog ? part.RenderForLog() : part.Render();

        var args = new List<string>();
        args.AddRange(Render(Name));
        args.AddRange(Render(Machine));
        args.AddRange(Render(Machine.Protection));
        args.AddRange(Render(Cpu));
        args.AddRange(Render(Smp));
        args.AddRange(Render(Memory));
        AddIfPresent(args, forLog, Firmware);
        AddIfPresent(args, forLog, Kernel);
        AddIfPresent(args, forLog, Initrd);
        AddIfPresent(args, forLog, Append);
        foreach (var device in _devices)
        {
            args.AddRange(Render(device));
        }

        args.AddRange(QemuFlag.NoDefaults.Render());
        args.AddRange(QemuFlag.NoUserConfig.Render());
        args.AddRange(new Display().Render());
        args.AddRange(QemuFlag.NoReboot.Render());
        if (FreezeAtStartup)
        {
            args.AddRange(QemuFlag.FreezeAtStartup.Render());
        }

        AddIfPresent(args, forLog, PidFile);
        return args;
    }

    private static void AddIfPresent(List<string> args, bool forLog, IQemuArgs? part)
    {
        if (part is not null)
        {
            args.AddRange(forLog ? part.RenderForLog() : part.Render());
        }
    }
}
