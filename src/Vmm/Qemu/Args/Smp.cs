namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// <c>-smp N,cores=,threads=,sockets=,maxcpus=</c>. Kata boots with the configured vCPUs and
/// leaves head-room up to <c>maxcpus</c> (one core per socket) for CPU hotplug.
/// </summary>
public sealed record Smp(int Cpus) : IQemuArgs
{
    /// <summary>Cores per socket.</summary>
    public int? Cores { get; init; }

    /// <summary>Threads per core.</summary>
    public int? Threads { get; init; }

    /// <summary>Number of sockets.</summary>
    public int? Sockets { get; init; }

    /// <summary>Upper bound for hotplugged vCPUs.</summary>
    public int? MaxCpus { get; init; }

    /// <inheritdoc />
    public IEnumerable<string> Render()
    {
        var options = new QemuOptionList(Cpus.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("cores", Cores)
            .Add("threads", Threads)
            .Add("sockets", Sockets)
            .Add("maxcpus", MaxCpus);
        return ["-smp", options.ToString()];
    }
}
