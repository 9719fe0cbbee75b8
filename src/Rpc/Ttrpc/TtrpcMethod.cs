namespace Sealpod.Rpc.Ttrpc;

/// <summary>A registered method: its names (reused for every call, so dispatch allocates none) and its handler.</summary>
internal sealed class TtrpcMethod(string service, string name, TtrpcUnaryHandler handler)
{
    public string Service { get; } = service;

    public string Name { get; } = name;

    public TtrpcUnaryHandler Handler { get; } = handler;
}
