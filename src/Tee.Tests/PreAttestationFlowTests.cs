using System.Text;
using System.Text.Json;
using Sealpod.Protos.KeyBroker;
using Sealpod.Rpc;
using Sealpod.Tee.Tests.Interop;

namespace Sealpod.Tee.Tests;

/// <summary>
/// SEV pre-attestation over real gRPC/HTTP2 against the Go simple-kbs stand-in; QEMU and the PSP are played by
/// <see cref="FakeSevPlatform"/> because this host has no SEV (the real-QEMU run is in Sealpod.Vmm.Tests).
/// </summary>
[Collection(SimpleKbsCollection.Name)]
public sealed class PreAttestationFlowTests(SimpleKbsBuild build) : IDisposable
{
    private const string CommandLine = "console=ttyS0 agent.aa_kbc_params=online_sev_kbc::192.0.2.9:44444";
    private const string Keyset = "KEYSET-1";
    private const string Secret = "RcHGava52DPvj1uoIk/NVDYlwxi0A6yyIZ8ilhEX3X4=";

    private readonly SevLaunchDigestTests.BootFiles _boot = SevLaunchDigestTests.BootFiles.Create();
    private readonly TempDirectory _dir = new("sealpod-preattest-");
    private readonly ListLogger _logger = new();

    public void Dispose()
    {
        _boot.Dispose();
        _dir.Dispose();
    }

    [Theory]
    [InlineData(KbsMode.Online, "connection", "1ee27366-0c87-43a6-af48-28543eaf7cb0")]
    [InlineData(KbsMode.Offline, "bundle", "e6f5a162-d67f-4750-a67c-5d065f2a9910")]
    public async Task The_key_broker_releases_the_secret_for_a_correctly_measured_launch(KbsMode mode, string type, string guid)
    {
        await using var kbs = await StartKbsAsync();
        var settings = Settings(kbs.Address, mode);
        using var client = new SimpleKbsClient(kbs.Address);
        var flow = new SevPreAttestation(settings, client, _logger);

        var session = await flow.StartSessionAsync(_dir.Combine("launch"));
        var platform = new FakeSevPlatform(session.SessionFile, kbs.Digest, settings.Policy);
        await flow.AttestAsync(platform, session, Boot(CommandLine), "sandbox-1");

        Assert.Equal(Path.Combine(_dir.Path, "launch", "godh.b64"), session.DhCertFile);
        Assert.Equal("godh:" + session.LaunchId, Encoding.ASCII.GetString(Convert.FromBase64String(File.ReadAllText(session.DhCertFile))));
        Assert.Equal(["query-sev-launch-measure", "query-sev", "sev-inject-launch-secret", "cont"], platform.Calls);
        Assert.True(platform.Resumed);
        using var released = JsonDocument.Parse(Convert.FromBase64String(platform.Injected!.Secret));
        Assert.Equal(guid, released.RootElement.GetProperty("guid").GetString());
        Assert.Equal(type, released.RootElement.GetProperty("type").GetString());
        Assert.Equal(Keyset, released.RootElement.GetProperty("keyset").GetString());
        Assert.Equal(Secret, released.RootElement.GetProperty("secret").GetString());
        string verified = $"GetSecret launch={session.LaunchId} type={type} guid={guid} verified";
        Assert.Contains(verified, await kbs.LogContainingAsync(verified), StringComparison.Ordinal);
        AssertNoSecretIn(_logger.Transcript, platform.Injected);
        Assert.Contains(_logger.Lines, l => l.Contains($"launch {session.LaunchId} attested, secret injected, guest resumed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_guest_booted_with_another_command_line_gets_no_secret_and_is_not_resumed()
    {
        // The broker (and the PSP) saw the approved command line; the runtime booted another one.
        await using var run = await StartSessionAsync();
        var (kbs, _, flow, session) = run;
        var platform = new FakeSevPlatform(session.SessionFile, kbs.Digest, 3);

        var e = await Assert.ThrowsAsync<PreAttestationException>(() => flow.AttestAsync(platform, session, Boot(CommandLine + " init=/bin/sh"), "sandbox-1"));

        Assert.Equal(PreAttestationStep.GetSecret, e.Step);
        Assert.StartsWith($"SEV pre-attestation failed at key broker GetSecret: {kbs.Address} answered Internal: Policy validation failed: firmware digest ", e.Message, StringComparison.Ordinal);
        Assert.Null(platform.Injected);
        Assert.False(platform.Resumed);
    }

    [Fact]
    public async Task A_measurement_of_different_contents_fails_verification()
    {
        await using var run = await StartSessionAsync();
        var (kbs, _, flow, session) = run;
        var platform = new FakeSevPlatform(session.SessionFile, RandomNumberGenerator.GetBytes(32), 3);

        var e = await Assert.ThrowsAsync<PreAttestationException>(() => flow.AttestAsync(platform, session, Boot(CommandLine), "sandbox-1"));

        Assert.Equal(PreAttestationStep.GetSecret, e.Step);
        Assert.EndsWith("Measurement Verification Failed: launch measurement does not match", e.Message, StringComparison.Ordinal);
        Assert.False(platform.Resumed);
    }

    [Fact]
    public async Task A_session_is_good_for_one_launch()
    {
        await using var run = await StartSessionAsync();
        var (kbs, _, flow, session) = run;
        await flow.AttestAsync(new FakeSevPlatform(session.SessionFile, kbs.Digest, 3), session, Boot(CommandLine), "sandbox-1");

        var e = await Assert.ThrowsAsync<PreAttestationException>(() =>
            flow.AttestAsync(new FakeSevPlatform(session.SessionFile, kbs.Digest, 3), session, Boot(CommandLine), "sandbox-1"));

        Assert.EndsWith($"Launch ID not found. UUID: {session.LaunchId}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("query-sev-launch-measure", PreAttestationStep.QueryLaunchMeasure, "QMP query-sev-launch-measure")]
    [InlineData("query-sev", PreAttestationStep.QuerySev, "QMP query-sev")]
    [InlineData("sev-inject-launch-secret", PreAttestationStep.InjectSecret, "QMP sev-inject-launch-secret")]
    [InlineData("cont", PreAttestationStep.Resume, "QMP cont")]
    public async Task A_failing_vmm_step_is_named_and_later_steps_do_not_run(string command, PreAttestationStep step, string stepName)
    {
        await using var run = await StartSessionAsync();
        var (kbs, _, flow, session) = run;
        var platform = new FakeSevPlatform(session.SessionFile, kbs.Digest, 3) { FailOn = command };

        var e = await Assert.ThrowsAsync<PreAttestationException>(() => flow.AttestAsync(platform, session, Boot(CommandLine), "sandbox-1"));

        Assert.Equal(step, e.Step);
        Assert.Equal($"SEV pre-attestation failed at {stepName}: QMP command {command} failed: GenericError: simulated failure", e.Message);
        Assert.Equal(command, platform.Calls[^1]);
        AssertNoSecretIn([e.ToString(), .. _logger.Transcript], platform.Injected);
    }

    [Fact]
    public async Task An_unreachable_key_broker_fails_at_get_bundle_naming_it()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var address = listener.LocalEndpoint.ToString()!;
        listener.Stop();
        using var client = new SimpleKbsClient(address);
        var flow = new SevPreAttestation(Settings(address), client, _logger);

        var e = await Assert.ThrowsAsync<PreAttestationException>(() => flow.StartSessionAsync(_dir.Combine("launch")));

        Assert.Equal(PreAttestationStep.GetBundle, e.Step);
        Assert.StartsWith($"SEV pre-attestation failed at key broker GetBundle: {address} answered Unavailable", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.Combine("launch")));
    }

    [Fact]
    public async Task A_missing_certificate_chain_says_how_to_export_it()
    {
        await using var kbs = await StartKbsAsync();
        using var client = new SimpleKbsClient(kbs.Address);
        var flow = new SevPreAttestation(Settings(kbs.Address) with { CertChainPath = _dir.Combine("missing.cert") }, client, _logger);

        var e = await Assert.ThrowsAsync<PreAttestationException>(() => flow.StartSessionAsync(_dir.Path));

        Assert.Equal(PreAttestationStep.ReadCertificateChain, e.Step);
        Assert.EndsWith($"(export it with `sevctl export --full {_dir.Combine("missing.cert")}`)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_surfaces_the_brokers_grpc_status()
    {
        await using var kbs = await StartKbsAsync();
        using var client = new SimpleKbsClient(kbs.Address);

        var e = await Assert.ThrowsAsync<RpcException>(() => client.GetBundleAsync(new BundleRequest { Policy = 3 }, TimeSpan.FromSeconds(10)));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("Failed to generate launch bundle: empty certificate chain", e.Message);
    }

    private static void AssertNoSecretIn(IEnumerable<string> texts, SevLaunchSecret? injected)
    {
        foreach (var text in texts)
        {
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            if (injected is not null)
            {
                Assert.DoesNotContain(injected.Secret, text, StringComparison.Ordinal);
                Assert.DoesNotContain(injected.PacketHeader, text, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>What most tests begin with: a broker, a client of it, and a flow whose session started in the test's directory.</summary>
    private async Task<BrokerSession> StartSessionAsync()
    {
        var kbs = await StartKbsAsync();
        var client = new SimpleKbsClient(kbs.Address);
        try
        {
            var flow = new SevPreAttestation(Settings(kbs.Address), client, _logger);
            return new BrokerSession(kbs, client, flow, await flow.StartSessionAsync(_dir.Path));
        }
        catch
        {
            client.Dispose();
            await kbs.DisposeAsync();
            throw;
        }
    }

    private Task<SimpleKbsServer> StartKbsAsync() =>
        SimpleKbsServer.StartAsync(build, _boot.Firmware, _boot.Kernel, _boot.Initrd, CommandLine, Keyset, Secret);

    private SevMeasuredBoot Boot(string commandLine) => new(_boot.Firmware, _boot.Kernel, _boot.Initrd, commandLine);

    private SevPreAttestationSettings Settings(string address, KbsMode mode = KbsMode.Online)
    {
        var chain = _dir.Write("cert_chain.cert", RandomNumberGenerator.GetBytes(1024));
        return SevPreAttestationSettings.From(new QemuConfig
        {
            GuestPreAttestation = true,
            GuestPreAttestationKbsUri = address,
            GuestPreAttestationKbsMode = mode,
            GuestPreAttestationKeyset = Keyset,
            SevCertChain = chain,
            SevGuestPolicy = 3,
        });
    }

    /// <summary>A broker, its client, the flow and its session; disposing closes the client, then stops the broker.</summary>
    private sealed record BrokerSession(SimpleKbsServer Kbs, SimpleKbsClient Client, SevPreAttestation Flow, SevLaunchSession Session) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Kbs.DisposeAsync();
        }
    }
}
