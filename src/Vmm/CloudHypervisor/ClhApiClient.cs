using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Serialization.Metadata;

namespace Sealpod.Vmm.CloudHypervisor;

/// <summary>
/// Cloud Hypervisor's REST API (vmm/src/api/openapi/cloud-hypervisor.yaml): HTTP/1.1 on the unix socket given with
/// <c>--api-socket</c>, paths under <c>/api/v1/</c>, JSON bodies. Each call is bounded by the per-call timeout
/// (Kata uses 1 s, 20 s for confidential guests whose vm.create and vm.boot do the measured launch).
/// </summary>
public sealed class ClhApiClient : IDisposable, IAsyncDisposable
{
    // HTTP needs an authority even over a unix socket; Cloud Hypervisor ignores it.
    private static readonly Uri BaseAddress = new("http://localhost/api/v1/");

    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;

    /// <summary>Talks to the API socket at <paramref name="socketPath"/>.</summary>
    public ClhApiClient(string socketPath, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        _timeout = timeout;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectCallback = async (_, cancellationToken) => await UnixStreamSocket.ConnectStreamAsync(socketPath, cancellationToken).ConfigureAwait(false),
        };
        _http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    /// <summary><c>GET vmm.ping</c>: whether the VMM answers, and its version and features.</summary>
    public Task<VmmPingResponse> PingAsync(CancellationToken cancellationToken = default) =>
        GetAsync("vmm.ping", ClhJsonContext.Default.VmmPingResponse, cancellationToken);

    /// <summary><c>PUT vm.create</c>.</summary>
    public Task CreateVmAsync(VmConfig config, CancellationToken cancellationToken = default) =>
        PutAsync("vm.create", config, ClhJsonContext.Default.VmConfig, cancellationToken);

    /// <summary><c>PUT vm.boot</c>.</summary>
    public Task BootVmAsync(CancellationToken cancellationToken = default) => PutAsync<object>("vm.boot", null, null, cancellationToken);

    /// <summary><c>GET vm.info</c>.</summary>
    public Task<VmInfo> VmInfoAsync(CancellationToken cancellationToken = default) =>
        GetAsync("vm.info", ClhJsonContext.Default.VmInfo, cancellationToken);

    /// <summary><c>PUT vm.add-disk</c>: returns where the disk landed.</summary>
    public async Task<PciDeviceInfo> AddDiskAsync(DiskConfig disk, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Put, "vm.add-disk", Content(disk, ClhJsonContext.Default.DiskConfig), cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, "vm.add-disk", ClhJsonContext.Default.PciDeviceInfo, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>PUT vm.remove-device</c>.</summary>
    public Task RemoveDeviceAsync(string id, CancellationToken cancellationToken = default) =>
        PutAsync("vm.remove-device", new VmRemoveDevice(id), ClhJsonContext.Default.VmRemoveDevice, cancellationToken);

    /// <summary><c>PUT vm.pause</c>.</summary>
    public Task PauseVmAsync(CancellationToken cancellationToken = default) => PutAsync<object>("vm.pause", null, null, cancellationToken);

    /// <summary><c>PUT vm.resume</c>.</summary>
    public Task ResumeVmAsync(CancellationToken cancellationToken = default) => PutAsync<object>("vm.resume", null, null, cancellationToken);

    /// <summary><c>PUT vm.power-button</c>: ACPI power button, the guest shuts down cleanly.</summary>
    public Task PowerButtonAsync(CancellationToken cancellationToken = default) => PutAsync<object>("vm.power-button", null, null, cancellationToken);

    /// <summary><c>PUT vm.shutdown</c>: stops the VM at once.</summary>
    public Task ShutdownVmAsync(CancellationToken cancellationToken = default) => PutAsync<object>("vm.shutdown", null, null, cancellationToken);

    /// <summary><c>PUT vmm.shutdown</c>: the VMM process exits.</summary>
    public Task ShutdownVmmAsync(CancellationToken cancellationToken = default) => PutAsync<object>("vmm.shutdown", null, null, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<T> GetAsync<T>(string endpoint, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, endpoint, null, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, endpoint, type, cancellationToken).ConfigureAwait(false);
    }

    private async Task PutAsync<T>(string endpoint, T? body, JsonTypeInfo<T>? type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Put, endpoint, body is null || type is null ? null : Content(body, type), cancellationToken).ConfigureAwait(false);
    }

    private static ByteArrayContent Content<T>(T body, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(body, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string endpoint, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, endpoint) { Content = content };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Cloud Hypervisor {endpoint} did not answer within {_timeout.TotalSeconds:0.#} s");
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new ClhApiException(endpoint, response.StatusCode, body);
            }
        }

        return response;
    }

    internal static async Task<T> ReadAsync<T>(HttpResponseMessage response, string endpoint, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await System.Text.Json.JsonSerializer.DeserializeAsync(stream, type, cancellationToken).ConfigureAwait(false)
                    ?? throw new ClhApiException($"Cloud Hypervisor {endpoint} answered null");
            }
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ClhApiException($"Cloud Hypervisor {endpoint} answered with JSON that is not a {typeof(T).Name}: {e.Message}", e);
        }
    }
}
