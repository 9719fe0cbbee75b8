namespace Sealpod.Runtime.Events;

/// <summary>
/// A task event in domain form. The shim turns each into containerd's message under <see cref="Topic"/>;
/// the runtime only decides what happened and in which order.
/// </summary>
public abstract record RuntimeEvent(string ContainerId)
{
    /// <summary>containerd's topic, e.g. <c>/tasks/exit</c>.</summary>
    public abstract string Topic { get; }
}
