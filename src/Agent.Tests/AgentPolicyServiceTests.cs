using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.Agent.Tests;

/// <summary>
/// The policy on the wire: a real ttrpc client calls the agent service, which puts every request to the policy
/// before it runs, and answers a denial with PermissionDenied naming the request and the rule.
/// </summary>
[Collection(AgentCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Root)]
public sealed class AgentPolicyServiceTests(AgentFixture fixture)
{
    private const string Agent = AgentService.AgentServiceName;

    [Fact]
    public async Task A_denied_request_never_reaches_its_handler_and_the_denial_names_the_rule()
    {
        await using var agent = await ServedAsync(AgentPolicyTests.Fixture("allow-all-except-exec-process.rego"));

        // Allowed: the handler runs and finds no such container. Denied: the policy answers before the handler could.
        var allowed = await Assert.ThrowsAsync<RpcException>(() => agent.CallAsync("StatsContainer", new Wire.StatsContainerRequest { ContainerId = "nope" }, Wire.StatsContainerResponse.Parser));
        var denied = await Assert.ThrowsAsync<RpcException>(() => agent.CallAsync("ExecProcess", new Wire.ExecProcessRequest { ContainerId = "nope", ExecId = "e" }, Empty.Parser));

        Assert.Equal(StatusCode.NotFound, allowed.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal("ExecProcessRequest is blocked by policy: default ExecProcessRequest := false (allow-all-except-exec-process.rego line 43)", denied.Message);
        Assert.Contains("sealpod-agent warning: policy denied ExecProcessRequest: default ExecProcessRequest := false (allow-all-except-exec-process.rego line 43)", agent.Log);
    }

    [Fact]
    public async Task Requests_are_named_by_their_message_as_in_kata_and_one_without_a_rule_is_denied()
    {
        await using var agent = await ServedAsync(RegoPolicyParser.Parse("package agent_policy\ndefault ReadStreamRequest := false\ndefault StatsContainerRequest := true\n", "p.rego"));

        var stderr = await Assert.ThrowsAsync<RpcException>(() => agent.CallAsync("ReadStderr", new Wire.ReadStreamRequest { ContainerId = "nope", Len = 1 }, Wire.ReadStreamResponse.Parser));
        var details = await Assert.ThrowsAsync<RpcException>(() => agent.CallAsync("GetGuestDetails", new Wire.GuestDetailsRequest(), Wire.GuestDetailsResponse.Parser));

        Assert.Equal("ReadStreamRequest is blocked by policy: default ReadStreamRequest := false (p.rego line 2)", stderr.Message);
        Assert.Equal(StatusCode.PermissionDenied, details.StatusCode);
        Assert.Equal("GuestDetailsRequest is blocked by policy: p.rego has no rule for GuestDetailsRequest (a request without a rule is denied)", details.Message);
    }

    [Fact]
    public async Task The_network_requests_go_to_the_policy_by_their_kata_names()
    {
        // Allowed UpdateInterface reaches its handler, which refuses because this test agent does not own the machine
        // (the network is this host's); the others are denied by the policy before that.
        await using var agent = await ServedAsync(RegoPolicyParser.Parse(
            "package agent_policy\ndefault UpdateInterfaceRequest := true\ndefault UpdateRoutesRequest := false\ndefault AddARPNeighborsRequest := false\n", "net.rego"));

        var update = await Assert.ThrowsAsync<RpcException>(() => agent.CallAsync("UpdateInterface", new Wire.UpdateInterfaceRequest { Interface = new Protos.Kata.Types.Interface { HwAddr = "02:5e:a1:ff:ff:99" } }, Protos.Kata.Types.Interface.Parser));
        var routes = await Assert.ThrowsAsync<RpcException>(() => agent.CallAsync("UpdateRoutes", new Wire.UpdateRoutesRequest { Routes = new Wire.Routes() }, Wire.Routes.Parser));
        var neighbours = await Assert.ThrowsAsync<RpcException>(() => agent.CallAsync("AddARPNeighbors", new Wire.AddARPNeighborsRequest(), Empty.Parser));

        Assert.Equal(StatusCode.FailedPrecondition, update.StatusCode);
        Assert.Equal("UpdateInterface: this agent does not own the machine (it is not the guest's PID 1), so it leaves the network as it is", update.Message);
        Assert.Equal("UpdateRoutesRequest is blocked by policy: default UpdateRoutesRequest := false (net.rego line 3)", routes.Message);
        Assert.Equal("AddARPNeighborsRequest is blocked by policy: default AddARPNeighborsRequest := false (net.rego line 4)", neighbours.Message);
    }

    [Fact]
    public async Task Health_checks_answer_whatever_the_policy()
    {
        await using var agent = await ServedAsync(RegoPolicyParser.Parse("package agent_policy\n", "deny-all.rego"));

        var health = await agent.Client.CallAsync(AgentService.HealthServiceName, "Check", new Wire.CheckRequest(), Wire.HealthCheckResponse.Parser);
        var create = await Assert.ThrowsAsync<RpcException>(() => agent.CallAsync("CreateSandbox", new Wire.CreateSandboxRequest(), Empty.Parser));

        Assert.Equal(Wire.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(StatusCode.PermissionDenied, create.StatusCode);
    }

    [Fact]
    public async Task Set_policy_replaces_the_policy_only_where_the_policy_in_force_allows_it()
    {
        await using var agent = await ServedAsync(AgentPolicyTests.Fixture("allow-all.rego"));
        var coco = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "policy", "coco-default.rego"));

        await agent.CallAsync("SetPolicy", new Wire.SetPolicyRequest { Policy = coco }, Empty.Parser);
        var exec = await Assert.ThrowsAsync<RpcException>(() => agent.CallAsync("ExecProcess", new Wire.ExecProcessRequest { ContainerId = "nope" }, Empty.Parser));
        var again = await Assert.ThrowsAsync<RpcException>(() => agent.CallAsync("SetPolicy", new Wire.SetPolicyRequest { Policy = "package agent_policy\ndefault ExecProcessRequest := true\n" }, Empty.Parser));

        Assert.Equal("ExecProcessRequest is blocked by policy: default ExecProcessRequest := false (SetPolicy policy line 38)", exec.Message);
        Assert.Equal(StatusCode.PermissionDenied, again.StatusCode);
        Assert.Equal("SetPolicyRequest is blocked by policy: default SetPolicyRequest := false (SetPolicy policy line 40)", again.Message);
        Assert.Equal("SetPolicy policy", agent.Policy.Current.Source);
    }

    [Fact]
    public async Task Set_policy_with_a_document_the_agent_cannot_enforce_is_refused_naming_the_line_and_changes_nothing()
    {
        await using var agent = await ServedAsync(AgentPolicyTests.Fixture("allow-all.rego"));
        var before = agent.Policy.Current;

        var error = await Assert.ThrowsAsync<RpcException>(() => agent.CallAsync(
            "SetPolicy",
            new Wire.SetPolicyRequest { Policy = "package agent_policy\n\ndefault ExecProcessRequest := false\nExecProcessRequest if {\n  input.process.Args[0] == \"ls\"\n}\n" },
            Empty.Parser));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("SetPolicy policy line 4: `ExecProcessRequest if {` is not supported", error.Message);
        Assert.Same(before, agent.Policy.Current);
    }

    private async Task<ServedAgent> ServedAsync(AgentPolicy policy)
    {
        var log = new StringWriter();
        var agentLog = new AgentLog(log);
        var enforcer = new PolicyEnforcer(policy, agentLog);
        var server = new TtrpcServer(new TtrpcServerOptions { RequireSameUser = false, Logger = agentLog });
        new AgentService(fixture.Sandbox, new GuestSystem(fixture.Options, TestProcess.Runner, agentLog), new FileCopier(fixture.Options.CopyFileRoot), enforcer, agentLog).Register(server);
        return await ServedAgent.StartAsync(server, Path.Combine(fixture.Root, $"policy-{Guid.NewGuid():N}"[..20] + ".sock"), enforcer, log);
    }

    /// <summary>One agent server on a unix socket with a client connected to it; disposing stops both.</summary>
    internal sealed class ServedAgent(TtrpcServer server, CancellationTokenSource stop, Task serving, TtrpcClient client, PolicyEnforcer policy, StringWriter log)
        : IAsyncDisposable
    {
        public TtrpcClient Client { get; } = client;

        public PolicyEnforcer Policy { get; } = policy;

        public string[] Log => log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        public static async Task<ServedAgent> StartAsync(TtrpcServer server, string socket, PolicyEnforcer policy, StringWriter log)
        {
            var stop = new CancellationTokenSource();
            var serving = server.ServeUnixAsync(socket, stop.Token);
            for (var attempt = 0; !File.Exists(socket) && attempt < 100; attempt++)
            {
                await Task.Delay(20);
            }

            return new ServedAgent(server, stop, serving, await TtrpcClient.ConnectUnixAsync(socket), policy, log);
        }

        public async Task<TResponse> CallAsync<TRequest, TResponse>(string method, TRequest request, MessageParser<TResponse> parser)
            where TRequest : IMessage<TRequest>
            where TResponse : IMessage<TResponse> =>
            await Client.CallAsync(Agent, method, request, parser);

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await stop.CancelAsync();
            await serving;
            await server.DisposeAsync();
            stop.Dispose();
        }
    }
}
