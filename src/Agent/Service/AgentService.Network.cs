using Google.Protobuf.WellKnownTypes;
using Sealpod.Agent.Service.Translation;
using Sealpod.Rpc.Ttrpc;
using Types = Sealpod.Protos.Kata.Types;
using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.Agent.Service;

/// <summary>The network requests the runtime sends before CreateSandbox; the agent runs in the guest's own namespace.</summary>
internal sealed partial class AgentService
{
    /// <summary>Answers the interface as requested, as Kata's agent does.</summary>
    private ValueTask<Types.Interface> UpdateInterface(Wire.UpdateInterfaceRequest request, TtrpcServerCallContext context)
    {
        _network.UpdateInterface(NetworkTranslation.ToDomain(request.Interface));
        return ValueTask.FromResult(request.Interface);
    }

    /// <summary>Answers the routes now in force, as requested.</summary>
    private ValueTask<Wire.Routes> UpdateRoutes(Wire.UpdateRoutesRequest request, TtrpcServerCallContext context)
    {
        var routes = request.Routes?.Routes_ ?? [];
        _network.UpdateRoutes(NetworkTranslation.ToDomain(routes));
        return ValueTask.FromResult(request.Routes ?? new Wire.Routes());
    }

    private ValueTask<Empty> AddArpNeighbors(Wire.AddARPNeighborsRequest request, TtrpcServerCallContext context)
    {
        _network.AddNeighbours(NetworkTranslation.ToDomain(request.Neighbors?.ARPNeighbors_ ?? []));
        return Done();
    }
}
