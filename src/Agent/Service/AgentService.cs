using Google.Protobuf;
using Sealpod.Agent.Network;
using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.Agent.Service;

/// <summary>
/// The Kata agent API over ttrpc (<c>grpc.AgentService</c> and <c>grpc.Health</c>): each handler
/// translates the message, delegates to the <see cref="Sandbox"/> or <see cref="GuestSystem"/> and
/// maps errors in one place. Methods not registered here answer Unimplemented (the server does that).
/// Every agent request is first put to the policy in force (<see cref="PolicyEnforcer"/>), by its message name as
/// Kata's agent names it (ReadStdout and ReadStderr are both <c>ReadStreamRequest</c>); the health service is not,
/// as in Kata, since the runtime's liveness checks must keep working whatever the policy.
/// </summary>
internal sealed partial class AgentService(Sandbox sandbox, GuestSystem guest, FileCopier copier, PolicyEnforcer policy, ILogger log)
{
    public const string AgentServiceName = "grpc.AgentService";
    public const string HealthServiceName = "grpc.Health";

    private static readonly Empty EmptyResponse = new();

    private readonly GuestNetwork _network = new();

    public static string Version { get; } = typeof(AgentService).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public void Register(TtrpcServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var health = server.AddService(HealthServiceName);
        Add(health, "Check", Wire.CheckRequest.Parser, (_, _) => ValueTask.FromResult(new Wire.HealthCheckResponse { Status = Wire.HealthCheckResponse.Types.ServingStatus.Serving }));
        Add(health, "Version", Wire.CheckRequest.Parser, (_, _) => ValueTask.FromResult(new Wire.VersionCheckResponse { GrpcVersion = "ttrpc", AgentVersion = Version }));

        var agent = server.AddService(AgentServiceName);
        Add(agent, "CreateSandbox", Wire.CreateSandboxRequest.Parser, CreateSandboxAsync);
        Add(agent, "DestroySandbox", Wire.DestroySandboxRequest.Parser, DestroySandboxAsync);
        Add(agent, "CreateContainer", Wire.CreateContainerRequest.Parser, CreateContainerAsync);
        Add(agent, "StartContainer", Wire.StartContainerRequest.Parser, StartContainerAsync);
        Add(agent, "RemoveContainer", Wire.RemoveContainerRequest.Parser, RemoveContainerAsync);
        Add(agent, "ExecProcess", Wire.ExecProcessRequest.Parser, ExecProcessAsync);
        Add(agent, "SignalProcess", Wire.SignalProcessRequest.Parser, SignalProcess);
        Add(agent, "WaitProcess", Wire.WaitProcessRequest.Parser, WaitProcessAsync);
        Add(agent, "ReadStdout", Wire.ReadStreamRequest.Parser, (request, context) => ReadAsync(request, IO.OutputStream.Stdout, context));
        Add(agent, "ReadStderr", Wire.ReadStreamRequest.Parser, (request, context) => ReadAsync(request, IO.OutputStream.Stderr, context));
        Add(agent, "WriteStdin", Wire.WriteStreamRequest.Parser, WriteStdinAsync);
        Add(agent, "CloseStdin", Wire.CloseStdinRequest.Parser, CloseStdin);
        Add(agent, "TtyWinResize", Wire.TtyWinResizeRequest.Parser, TtyWinResize);
        Add(agent, "PauseContainer", Wire.PauseContainerRequest.Parser, PauseContainerAsync);
        Add(agent, "ResumeContainer", Wire.ResumeContainerRequest.Parser, ResumeContainerAsync);
        Add(agent, "UpdateContainer", Wire.UpdateContainerRequest.Parser, UpdateContainerAsync);
        Add(agent, "StatsContainer", Wire.StatsContainerRequest.Parser, StatsContainer);
        Add(agent, "SetGuestDateTime", Wire.SetGuestDateTimeRequest.Parser, SetGuestDateTime);
        Add(agent, "GetGuestDetails", Wire.GuestDetailsRequest.Parser, GetGuestDetails);
        Add(agent, "CopyFile", Wire.CopyFileRequest.Parser, CopyFile);
        Add(agent, "GetOOMEvent", Wire.GetOOMEventRequest.Parser, GetOomEventAsync);
        Add(agent, "OnlineCPUMem", Wire.OnlineCPUMemRequest.Parser, OnlineCpuMemAsync);
        Add(agent, "SetPolicy", Wire.SetPolicyRequest.Parser, SetPolicy);
        Add(agent, "UpdateInterface", Wire.UpdateInterfaceRequest.Parser, UpdateInterface);
        Add(agent, "UpdateRoutes", Wire.UpdateRoutesRequest.Parser, UpdateRoutes);
        Add(agent, "AddARPNeighbors", Wire.AddARPNeighborsRequest.Parser, AddArpNeighbors);
    }

    /// <summary>
    /// Registers a handler whose exceptions are mapped to status codes (and logged); an agent service handler runs only
    /// when the policy allows its request.
    /// </summary>
    private void Add<TRequest, TResponse>(
        TtrpcServiceBuilder service,
        string method,
        MessageParser<TRequest> parser,
        Func<TRequest, TtrpcServerCallContext, ValueTask<TResponse>> handler)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage
    {
        var enforced = service.Name == AgentServiceName;
        // The policy names requests by their message name, which protoc's C# classes carry as their type name
        // (AgentPolicyTests.Every_agent_message_class_is_named_as_its_message checks them). Not from the message's
        // Descriptor: the first Descriptor builds the reflection tree of agent.proto and every file it imports, which
        // under TCG cost the agent a visible part of its start before listening (issue 14).
        var requestName = typeof(TRequest).Name;
        service.AddUnary<TRequest, TResponse>(method, parser, async (request, context) =>
        {
            try
            {
                log.LogDebug("{Service}/{Method} (stream {StreamId})", service.Name, method, context.StreamId);
                if (enforced)
                {
                    policy.Check(requestName);
                }

                return await handler(request, context).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var mapped = ErrorMapper.ToRpc(e);
                // Cancellations are the caller's doing; denials the policy logged itself.
                if (mapped.StatusCode is not (Rpc.StatusCode.Cancelled or Rpc.StatusCode.PermissionDenied))
                {
                    log.LogWarning("{Service}/{Method} failed: {Code}: {Message}", service.Name, method, mapped.StatusCode, mapped.Message);
                }

                throw mapped;
            }
        });
    }

    private static ValueTask<Empty> Done() => ValueTask.FromResult(EmptyResponse);

    private static StorageSpec[] Storages(IEnumerable<Wire.Storage> storages) =>
        [.. storages.Select(StorageTranslation.ToDomain)];
}
