using Types = Sealpod.Protos.Kata.Types;
using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.Agent.Service;

/// <summary>The network requests the runtime sends before CreateSandbox; the agent runs in the guest's own namespace.</summary>
internal sealed partial class AgentService
{
    /// <summary>Answers the interface as requested, as Kata's agent does.</summary>
    private ValueTask<Types.Interface> UpdateInterface(Wire.UpdateInterfaceRequest request, TtrpcServerCallContext context)
    {
        EnsureOwnsNetwork("UpdateInterface");
        _network.UpdateInterface(NetworkTranslation.ToDomain(request.Interface));
        return ValueTask.FromResult(request.Interface);
    }

    /// <summary>Answers the routes now in force, as requested.</summary>
    private ValueTask<Wire.Routes> UpdateRoutes(Wire.UpdateRoutesRequest request, TtrpcServerCallContext context)
    {
        EnsureOwnsNetwork("UpdateRoutes");
        var routes = request.Routes?.Routes_ ?? [];
        _network.UpdateRoutes(NetworkTranslation.ToDomain(routes));
        return ValueTask.FromResult(request.Routes ?? new Wire.Routes());
    }

    private ValueTask<Empty> AddArpNeighbors(Wire.AddARPNeighborsRequest request, TtrpcServerCallContext context)
    {
        EnsureOwnsNetwork("AddARPNeighbors");
        _network.AddNeighbours(NetworkTranslation.ToDomain(request.Neighbors?.ARPNeighbors_ ?? []));
        return Done();
    }

    /// <summary>
    /// An agent that is not the guest's PID 1 (tests, a development run on a host) shares someone else's network
    /// namespace: replacing its routes would take the machine's default route away, so it refuses.
    /// </summary>
    private void EnsureOwnsNetwork(string request)
    {
        if (!guest.Manages)
        {
            throw new FailedPreconditionException($"{request}: this agent does not own the machine (it is not the guest's PID 1), so it leaves the network as it is");
        }
    }
}
