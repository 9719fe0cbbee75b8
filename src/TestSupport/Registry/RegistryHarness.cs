using System.Globalization;
using System.Net.Sockets;
using Sealpod.Linux.Netlink;

namespace Sealpod.TestSupport.Registry;

/// <summary>
/// Debian's docker-registry (the real registry) inside a network namespace: the harness's own (made and deleted
/// here) or one the test already has (the CRI harness's, where pods and a VM's guest reach it at the bridge's
/// address). Each registry is started with <see cref="StartAsync"/>: plain HTTP or HTTPS with a certificate of the
/// fixture's own test CA (<see cref="Authority"/>), anonymous, htpasswd (Basic) or token auth through the harness's
/// <see cref="TestTokenIssuer"/>. Images go in with skopeo, run in the namespace. Every program runs through the
/// <see cref="IProcessRunner"/> the test project hands in; the registries are started in the background by a shell
/// that exits at once, so none is a child the runner waits for, and are killed by pid at disposal.
/// </summary>
public sealed class RegistryHarness : IAsyncDisposable
{
    public const string User = "puller";
    public const string Password = "s3cret-pw";

    private readonly IProcessRunner _runner;
    private readonly TempDirectory _temp = new("sp-registry-");
    private readonly List<RunningRegistry> _registries = [];
    private readonly string? _ownNamespace;
    private TestTokenIssuer? _tokens;
    private string? _htpasswd;

    private RegistryHarness(IProcessRunner runner, string namespacePath, string? ownNamespace, IReadOnlyList<string> hosts)
    {
        _runner = runner;
        NamespacePath = namespacePath;
        _ownNamespace = ownNamespace;
        Authority = new TestCertificateAuthority(_temp.Combine("ca"), ["127.0.0.1", "localhost", .. hosts]);
    }

    /// <summary>The namespace the registries and the token issuer listen in (/var/run/netns/NAME).</summary>
    public string NamespacePath { get; }

    /// <summary>The fixture's CA: the TLS registries' server certificate chains to it, and nothing else trusts it.</summary>
    public TestCertificateAuthority Authority { get; }

    /// <summary>The token issuer of <see cref="RegistryAuth.Token"/> registries (after the first one started).</summary>
    public TestTokenIssuer Tokens => _tokens ?? throw new InvalidOperationException("no token-auth registry was started");

    /// <param name="namespacePath">An existing network namespace; null makes one of the harness's own (lo up).</param>
    /// <param name="hosts">Addresses clients use besides 127.0.0.1 (e.g. the CNI bridge's): the server certificate names them.</param>
    public static async Task<RegistryHarness> CreateAsync(IProcessRunner runner, string? namespacePath, IReadOnlyList<string> hosts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        string? own = null;
        if (namespacePath is null)
        {
            own = $"sp-registry-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
            await RunAsync(runner, "/bin/ip", ["netns", "add", own], cancellationToken).ConfigureAwait(false);
        }

        var harness = new RegistryHarness(runner, namespacePath ?? $"/var/run/netns/{own}", own, hosts);
        try
        {
            if (own is not null)
            {
                await harness.RunAsync("/bin/ip", ["-n", own, "link", "set", "lo", "up"], cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await harness.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return harness;
    }

    /// <summary>Starts a registry and waits until it answers <c>/v2/</c> on loopback.</summary>
    /// <param name="realmHost">Where clients reach the token issuer (token auth): 127.0.0.1, or the bridge's address for a guest.</param>
    public async Task<RunningRegistry> StartAsync(RegistryOptions options, CancellationToken cancellationToken, string realmHost = "127.0.0.1")
    {
        ArgumentNullException.ThrowIfNull(options);
        var name = $"registry-{_registries.Count}";
        var storage = options.StorageDirectory ?? Directory.CreateDirectory(_temp.Combine(name, "storage")).FullName;
        var config = new StringBuilder()
            .Append("version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ").Append(storage)
            .Append("\nhttp:\n  addr: ").Append(options.Listen).Append('\n');
        if (options.Tls)
        {
            config.Append("  tls:\n    certificate: ").Append(Authority.ServerCertificateFile).Append("\n    key: ").Append(Authority.ServerKeyFile).Append('\n');
        }

        switch (options.Auth)
        {
            case RegistryAuth.Basic:
                config.Append("auth:\n  htpasswd:\n    realm: sealpod-test\n    path: ").Append(await HtpasswdAsync(cancellationToken).ConfigureAwait(false)).Append('\n');
                break;
            case RegistryAuth.Token:
                _tokens ??= await TestTokenIssuer.StartAsync(NamespacePath, options.Tls ? Authority.ServerCertificate : null, User, Password, _temp.Path, cancellationToken).ConfigureAwait(false);
                config.Append("auth:\n  token:\n    realm: ").Append(_tokens.Realm(realmHost))
                    .Append("\n    service: ").Append(TestTokenIssuer.Service)
                    .Append("\n    issuer: ").Append(TestTokenIssuer.Issuer)
                    .Append("\n    rootcertbundle: ").Append(_tokens.RootCertBundle).Append('\n');
                break;
        }

        var file = _temp.Write($"{name}.yml", config.ToString());
        var log = _temp.File($"{name}.log");
        // The background job execs nsenter, which execs the registry: the pid printed is the registry's.
        var pid = (await RunAsync("/bin/sh", ["-c", $"/usr/bin/nsenter --net='{NamespacePath}' -- /usr/bin/docker-registry serve '{file}' >'{log}' 2>&1 & echo $!"], cancellationToken).ConfigureAwait(false)).Trim();
        var registry = new RunningRegistry(options, int.Parse(pid, CultureInfo.InvariantCulture), storage, log);
        _registries.Add(registry);
        await WaitReadyAsync(registry, cancellationToken).ConfigureAwait(false);
        return registry;
    }

    /// <summary>
    /// Copies <paramref name="source"/> (a skopeo source such as <c>oci:DIR:TAG</c>) to <c>REPOSITORY:TAG</c> of the
    /// registry, over loopback, trusting the test CA and with the test credentials when it needs them; all of the
    /// source's platforms and digests are kept. Returns <c>127.0.0.1:PORT/REPOSITORY:TAG</c>.
    /// </summary>
    public async Task<string> PushAsync(string source, RunningRegistry registry, string repositoryAndTag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var reference = $"{registry.LoopbackAddress}/{repositoryAndTag}";
        List<string> arguments = ["--net=" + NamespacePath, "--", "/usr/bin/skopeo", "--insecure-policy", "copy", "--quiet", "--all", "--preserve-digests"];
        arguments.AddRange(registry.Options.Tls ? ["--dest-cert-dir", Authority.CertDirectory] : ["--dest-tls-verify=false"]);
        if (registry.Options.Auth != RegistryAuth.None)
        {
            arguments.AddRange(["--dest-creds", $"{User}:{Password}"]);
        }

        arguments.AddRange([source, "docker://" + reference]);
        await RunAsync("/usr/bin/nsenter", arguments, cancellationToken).ConfigureAwait(false);
        return reference;
    }

    /// <summary>Opens a TCP connection inside the namespace (a <see cref="SocketsHttpHandler.ConnectCallback"/>).</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var socket = await NetworkNamespace.RunAsync(NamespacePath, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A client handler whose connections open in the namespace and which trusts the test CA.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        ConnectCallback = ConnectAsync,
        SslOptions = Authority.ClientOptions(),
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromSeconds(30),
    };

    /// <summary>A listener in the namespace that accepts connections and never answers: a registry that hangs.</summary>
    public Task<Socket> ListenSilentlyAsync(int port) => NetworkNamespace.RunAsync(NamespacePath, () =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        socket.Listen(8);
        return socket;
    });

    public async ValueTask DisposeAsync()
    {
        foreach (var registry in _registries)
        {
            await _runner.RunAsync("/bin/kill", ["-KILL", registry.Pid.ToString(CultureInfo.InvariantCulture)], CancellationToken.None).ConfigureAwait(false);
            // Orphaned at start: whoever reaps it, its /proc entry goes (or turns zombie) once it is dead.
            for (var i = 0; i < 100 && IsRunning(registry.Pid); i++)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        }

        if (_tokens is not null)
        {
            await _tokens.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownNamespace is not null)
        {
            await _runner.RunAsync("/bin/ip", ["netns", "del", _ownNamespace], CancellationToken.None).ConfigureAwait(false);
        }

        Authority.Dispose();
        _temp.Dispose();
    }

    private async Task WaitReadyAsync(RunningRegistry registry, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(CreateHandler()) { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var response = await client.GetAsync(new Uri($"{registry.Scheme}://{registry.LoopbackAddress}/v2/"), cancellationToken).ConfigureAwait(false);
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
            }

            if (DateTime.UtcNow > deadline || !IsRunning(registry.Pid))
            {
                throw new InvalidOperationException($"docker-registry {registry.Options} did not come up: {(File.Exists(registry.LogFile) ? await File.ReadAllTextAsync(registry.LogFile, cancellationToken).ConfigureAwait(false) : "no log")}");
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> HtpasswdAsync(CancellationToken cancellationToken)
    {
        if (_htpasswd is not null)
        {
            return _htpasswd;
        }

        // docker-registry's htpasswd wants bcrypt; Python's crypt (libxcrypt) makes one.
        var hash = (await RunAsync("/usr/bin/python3", ["-W", "ignore", "-c",
            "import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))", Password], cancellationToken).ConfigureAwait(false)).Trim();
        if (!hash.StartsWith("$2", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"no bcrypt hash from python3: '{hash}'");
        }

        return _htpasswd = _temp.Write("htpasswd", $"{User}:{hash}\n");
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            // "pid (comm) S ...": a zombie (Z) has ended.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() is not 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private Task<string> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(_runner, program, arguments, cancellationToken);

    private static async Task<string> RunAsync(IProcessRunner runner, string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        (await runner.RunAsync(program, arguments, cancellationToken).ConfigureAwait(false)).EnsureSuccess(program, arguments);
}
