using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.Agent.Tests;

/// <summary>
/// Policy documents of the shape Kata ships in src/kata-opa (Fixtures/policy holds files of that shape: header
/// comments, <c>package agent_policy</c>, one <c>default Request := true|false</c> per line), what they decide, and
/// everything else refused naming the line.
/// </summary>
public sealed class AgentPolicyTests
{
    /// <summary>The message name of every request this agent serves, as the service registers them.</summary>
    public static TheoryData<string> ServedRequests { get; } = new(
        "CreateSandboxRequest", "DestroySandboxRequest", "CreateContainerRequest", "StartContainerRequest", "RemoveContainerRequest",
        "ExecProcessRequest", "SignalProcessRequest", "WaitProcessRequest", "ReadStreamRequest", "WriteStreamRequest", "CloseStdinRequest",
        "TtyWinResizeRequest", "PauseContainerRequest", "ResumeContainerRequest", "UpdateContainerRequest", "StatsContainerRequest",
        "SetGuestDateTimeRequest", "GuestDetailsRequest", "CopyFileRequest", "GetOOMEventRequest", "OnlineCPUMemRequest", "SetPolicyRequest");

    /// <summary>
    /// The service names each request by its C# type (its start builds no protobuf descriptors): protoc must have kept
    /// every agent.proto message's name as the class name, as the policy documents spell it.
    /// </summary>
    [Fact]
    public void Every_agent_message_class_is_named_as_its_message()
    {
        var messages = Wire.AgentReflection.Descriptor.MessageTypes;

        Assert.All(messages, message => Assert.Equal(message.Name, message.ClrType.Name));
        Assert.All<object[]>(ServedRequests, request => Assert.Contains(messages, message => message.Name == (string)request[0]));
    }

    internal static AgentPolicy Fixture(string name) =>
        RegoPolicyParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "policy", name)), name);

    [Theory]
    [MemberData(nameof(ServedRequests))]
    public void Allow_all_allows_every_request_the_agent_serves(string request)
    {
        var decision = Fixture("allow-all.rego").Decide(request);

        Assert.True(decision.Allowed, decision.Reason);
    }

    [Fact]
    public void A_request_the_document_has_no_rule_for_is_denied_naming_the_document()
    {
        var decision = Fixture("allow-all.rego").Decide("AddSwapPathRequest");

        Assert.False(decision.Allowed);
        Assert.Equal("allow-all.rego has no rule for AddSwapPathRequest (a request without a rule is denied)", decision.Reason);
    }

    [Fact]
    public void Allow_all_except_exec_process_denies_exec_naming_the_rule_and_its_line()
    {
        var policy = Fixture("allow-all-except-exec-process.rego");

        var exec = policy.Decide("ExecProcessRequest");

        Assert.False(exec.Allowed);
        Assert.Equal("default ExecProcessRequest := false (allow-all-except-exec-process.rego line 43)", exec.Reason);
        Assert.True(policy.Decide("CreateContainerRequest").Allowed);
        Assert.True(policy.Decide("SetPolicyRequest").Allowed);
    }

    [Theory]
    [InlineData("ExecProcessRequest", 38)]
    [InlineData("ReseedRandomDevRequest", 39)]
    [InlineData("SetPolicyRequest", 40)]
    public void Coco_default_denies_exec_reseed_and_set_policy_where_set_policy_has_two_defaults_the_deny_wins(string request, int line)
    {
        var decision = Fixture("coco-default.rego").Decide(request);

        Assert.False(decision.Allowed);
        Assert.Equal($"default {request} := false (coco-default.rego line {line})", decision.Reason);
    }

    [Fact]
    public void The_deny_wins_whichever_of_two_defaults_comes_first()
    {
        var policy = RegoPolicyParser.Parse("package agent_policy\ndefault CopyFileRequest := false\ndefault CopyFileRequest := true\n", "p");

        Assert.Equal(new PolicyDecision(false, "default CopyFileRequest := false (p line 2)"), policy.Decide("CopyFileRequest"));
    }

    [Theory]
    [MemberData(nameof(ServedRequests))]
    public void The_built_in_confidential_default_decides_as_coco_default_for_every_request_the_agent_serves(string request)
    {
        Assert.Equal(Fixture("coco-default.rego").Decide(request).Allowed, AgentPolicy.ConfidentialDefault.Decide(request).Allowed);
        Assert.True(AgentPolicy.AllowAll.Decide(request).Allowed);
    }

    [Fact]
    public void Comments_blank_lines_crlf_and_the_older_equals_sign_are_accepted()
    {
        var policy = RegoPolicyParser.Parse(
            "# header\r\n\r\n  package agent_policy   # the package\r\ndefault CopyFileRequest=true # trailing\r\n\tdefault ExecProcessRequest = false\r\n",
            "p");

        Assert.True(policy.Decide("CopyFileRequest").Allowed);
        Assert.Equal("default ExecProcessRequest := false (p line 5)", policy.Decide("ExecProcessRequest").Reason);
    }

    [Theory]
    [InlineData("package agent_policy\nimport future.keywords.in\n", 2, "import future.keywords.in")]
    [InlineData("package agent_policy\ndefault CreateContainerRequest := false\nCreateContainerRequest {\n  true\n}\n", 3, "CreateContainerRequest {")]
    [InlineData("package agent_policy\n\nCreateContainerRequest if {\n", 3, "CreateContainerRequest if {")]
    [InlineData("package agent_policy\npolicy_data := {\"allowed\": []}\n", 2, "policy_data := {\"allowed\": []}")]
    [InlineData("package agent_policy\ndefault ExecProcessRequest := 1\n", 2, "default ExecProcessRequest := 1")]
    [InlineData("package agent_policy\ndefault ExecProcessRequest := true; default CopyFileRequest := true\n", 2, "default ExecProcessRequest := true; default CopyFileRequest := true")]
    [InlineData("package other_policy\ndefault ExecProcessRequest := true\n", 1, "package other_policy")]
    [InlineData("default ExecProcessRequest := true\npackage agent_policy\n", 1, "default ExecProcessRequest := true")]
    [InlineData("package agent_policy\npackage agent_policy\n", 2, "package agent_policy")]
    public void Any_other_construct_is_refused_naming_its_line(string text, int line, string quoted)
    {
        var error = Assert.Throws<PolicyException>(() => RegoPolicyParser.Parse(text, "policy.rego"));

        Assert.StartsWith($"policy.rego line {line}: `{quoted}` is not supported: ", error.Message);
    }

    [Fact]
    public void A_document_without_the_package_is_refused()
    {
        var error = Assert.Throws<PolicyException>(() => RegoPolicyParser.Parse("# nothing but a comment\n", "SetPolicy policy"));

        Assert.Equal("SetPolicy policy: no `package agent_policy` line: not an agent policy", error.Message);
    }

    [Fact]
    public void A_refused_line_is_quoted_without_control_characters_and_shortened()
    {
        var error = Assert.Throws<PolicyException>(() => RegoPolicyParser.Parse("package agent_policy\nx := \u001b[2J" + new string('a', 200) + "\n", "p"));

        Assert.Contains("p line 2: `x := ?[2J", error.Message, StringComparison.Ordinal);
        Assert.Contains("aaa...`", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', error.Message);
    }

    [Fact]
    public void The_enforcer_throws_a_denial_naming_the_request_and_the_rule_and_logs_it()
    {
        var log = new LineLog();
        var enforcer = new PolicyEnforcer(Fixture("allow-all-except-exec-process.rego"), log);

        enforcer.Check("CreateContainerRequest");
        var error = Assert.Throws<PermissionDeniedException>(() => enforcer.Check("ExecProcessRequest"));

        Assert.Equal("ExecProcessRequest is blocked by policy: default ExecProcessRequest := false (allow-all-except-exec-process.rego line 43)", error.Message);
        Assert.Contains("policy denied ExecProcessRequest: default ExecProcessRequest := false (allow-all-except-exec-process.rego line 43)", log.Lines);
    }

    [Fact]
    public void The_policy_in_init_data_is_put_in_force()
    {
        var enforcer = new PolicyEnforcer(AgentPolicy.AllowAll, NullLogger.Instance);
        var document = InitDataDocument.Create(InitDataAlgorithm.Sha256, new Dictionary<string, string>
        {
            [InitDataGuestFiles.PolicyKey] = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "policy", "coco-default.rego")),
        });

        Assert.True(InitDataPolicy.Apply(document, enforcer));

        var error = Assert.Throws<PermissionDeniedException>(() => enforcer.Check("ExecProcessRequest"));
        Assert.Equal("ExecProcessRequest is blocked by policy: default ExecProcessRequest := false (Init-Data policy.rego line 38)", error.Message);
    }

    [Fact]
    public void Init_data_without_a_policy_leaves_the_policy_in_force()
    {
        var enforcer = new PolicyEnforcer(AgentPolicy.ConfidentialDefault, NullLogger.Instance);
        var document = InitDataDocument.Create(InitDataAlgorithm.Sha256, new Dictionary<string, string> { ["aa.toml"] = "" });

        Assert.False(InitDataPolicy.Apply(document, enforcer));
        Assert.False(InitDataPolicy.Apply(null, enforcer));
        Assert.Same(AgentPolicy.ConfidentialDefault, enforcer.Current);
    }

    [Fact]
    public void An_init_data_policy_the_agent_cannot_enforce_is_an_error_naming_its_line()
    {
        var enforcer = new PolicyEnforcer(AgentPolicy.ConfidentialDefault, NullLogger.Instance);
        var document = InitDataDocument.Create(InitDataAlgorithm.Sha256, new Dictionary<string, string>
        {
            [InitDataGuestFiles.PolicyKey] = "package agent_policy\nimport rego.v1\n",
        });

        var error = Assert.Throws<PolicyException>(() => InitDataPolicy.Apply(document, enforcer));

        Assert.StartsWith("Init-Data policy.rego line 2: `import rego.v1` is not supported", error.Message);
        Assert.Same(AgentPolicy.ConfidentialDefault, enforcer.Current);
    }

    [Fact]
    public void A_guest_is_confidential_by_a_tee_device_or_the_runtimes_flag_and_not_otherwise()
    {
        string[] none = [];

        Assert.Null(ConfidentialGuest.Evidence("console=ttyS0 quiet", "/g", none.Contains));
        Assert.Null(ConfidentialGuest.Evidence(null, "/g", none.Contains));
        Assert.Null(ConfidentialGuest.Evidence("agent.confidential=false", "/g", none.Contains));
        Assert.Equal("agent.confidential on the kernel command line", ConfidentialGuest.Evidence("quiet agent.confidential=true", "/g", none.Contains));
        foreach (var device in (string[])["/g/dev/sev-guest", "/g/dev/tdx_guest", "/g/dev/tdx-guest", "/g/sys/kernel/config/tsm/report"])
        {
            Assert.Equal(device, ConfidentialGuest.Evidence("quiet", "/g", ((string[])[device]).Contains));
        }
    }

    private sealed class LineLog : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
            {
                Lines.Add(formatter(state, exception));
            }
        }
    }
}
