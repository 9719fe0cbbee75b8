using Sealpod.Protos.Containerd.Services.Events.Ttrpc.V1;
using Sealpod.Shim.Translation;

namespace Sealpod.Shim.Events;

/// <summary>
/// Hands events to containerd over ttrpc (<c>TTRPC_ADDRESS</c>), as containerd's shim publisher does:
/// <c>containerd.services.events.ttrpc.v1.Events/Forward</c> with an Envelope naming the namespace (also sent
/// as <c>containerd-namespace-ttrpc</c> metadata), 5 s per call, reconnecting when the connection broke, and up
/// to 5 retries with a wait growing by a second each time. Unlike the Go publisher, which requeues behind later
/// events, a retry happens in place, so events reach containerd in the order they happened.
/// </summary>
public sealed partial class TtrpcEventPublisher : IEventPublisher, IAsyncDisposable
{
    public const string Service = "containerd.services.events.ttrpc.v1.Events";
    public const string NamespaceMetadataKey = "containerd-namespace-ttrpc";
    public const int MaxRequeue = 5;

    private readonly string _address;
    private readonly string _namespace;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _callTimeout;
    private readonly TimeSpan _backoffStep;
    private TtrpcClient? _client;

    public TtrpcEventPublisher(string address, string ns, ILogger logger, TimeProvider? time = null, TimeSpan? callTimeout = null, TimeSpan? backoffStep = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        ArgumentException.ThrowIfNullOrEmpty(ns);
        _address = address;
        _namespace = ns;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _callTimeout = callTimeout ?? TimeSpan.FromSeconds(5);
        _backoffStep = backoffStep ?? TimeSpan.FromSeconds(1);
    }

    public async Task PublishAsync(RuntimeEvent runtimeEvent, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtimeEvent);
        var request = new ForwardRequest
        {
            Envelope = new Envelope
            {
                Timestamp = Timestamp.FromDateTimeOffset(timestamp),
                Namespace = _namespace,
                Topic = runtimeEvent.Topic,
                Event = EventTranslator.ToAny(runtimeEvent),
            },
        };
        var options = new TtrpcCallOptions { Timeout = _callTimeout, Metadata = new TtrpcMetadata().Add(NamespaceMetadataKey, _namespace) };

        for (int attempt = 0; ; attempt++)
        {
            try
            {
                var client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
                await client.CallAsync(Service, "Forward", request, Empty.Parser, options, cancellationToken).ConfigureAwait(false);
                LogPublished(_logger, runtimeEvent.Topic, runtimeEvent.ContainerId);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await DropClientAsync().ConfigureAwait(false);
                if (attempt >= MaxRequeue)
                {
                    LogEvicted(_logger, runtimeEvent.Topic, runtimeEvent.ContainerId, attempt + 1, e.Message);
                    throw;
                }

                LogRetrying(_logger, runtimeEvent.Topic, attempt + 1, e.Message);
                await Task.Delay(_backoffStep * (attempt + 1), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public ValueTask DisposeAsync() => DropClientAsync();

    private async Task<TtrpcClient> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_client is { } existing && !existing.Closed.IsCancellationRequested)
        {
            return existing;
        }

        await DropClientAsync().ConfigureAwait(false);
        _client = await TtrpcClient.ConnectUnixAsync(_address, null, cancellationToken).ConfigureAwait(false);
        return _client;
    }

    private async ValueTask DropClientAsync()
    {
        if (Interlocked.Exchange(ref _client, null) is { } client)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "published {Topic} for {ContainerId}")]
    private static partial void LogPublished(ILogger logger, string topic, string containerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "publishing {Topic} failed (attempt {Attempt}), retrying: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string topic, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "evicting {Topic} for {ContainerId} after {Attempts} attempts: {Reason}")]
    private static partial void LogEvicted(ILogger logger, string topic, string containerId, int attempts, string reason);
}
