using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Sealpod.Protos.Containerd.Services.Events.Ttrpc.V1;
using Sealpod.Shim.Events;
using Wire = Sealpod.Protos.Containerd.Events;

namespace Sealpod.Shim.Tests;

/// <summary>
/// Forwarding to a ttrpc server that serves containerd's events service (our server standing in for
/// containerd, which the integration tests use for real): envelope, metadata, reconnects, retries.
/// </summary>
public sealed class TtrpcEventPublisherTests : TempDirectoryTest
{
    [Fact]
    public async Task An_event_arrives_in_an_envelope_with_the_namespace_twice()
    {
        await using var containerd = await FakeContainerd.StartAsync(Temp.File("events.sock"));
        await using var publisher = new TtrpcEventPublisher(Temp.File("events.sock"), "sealpod", NullLogger.Instance);
        var when = DateTimeOffset.UtcNow;

        await publisher.PublishAsync(new TaskExited("c1", "c1", 42, 7, when), when, CancellationToken.None);

        var (request, metadata) = Assert.Single(containerd.Received);
        Assert.Equal("sealpod", request.Envelope.Namespace);
        Assert.Equal("/tasks/exit", request.Envelope.Topic);
        Assert.Equal(Timestamp.FromDateTimeOffset(when), request.Envelope.Timestamp);
        Assert.Equal("containerd.events.TaskExit", request.Envelope.Event.TypeUrl);
        Assert.Equal(7u, Wire.TaskExit.Parser.ParseFrom(request.Envelope.Event.Value).ExitStatus);
        Assert.Contains(new KeyValuePair<string, string>("containerd-namespace-ttrpc", "sealpod"), metadata);
    }

    [Fact]
    public async Task A_containerd_that_comes_back_gets_the_event_after_a_reconnect()
    {
        await using var publisher = new TtrpcEventPublisher(Temp.File("events.sock"), "ns", NullLogger.Instance, backoffStep: TimeSpan.FromMilliseconds(100));
        var first = await FakeContainerd.StartAsync(Temp.File("events.sock"));
        await publisher.PublishAsync(new TaskPaused("c1"), DateTimeOffset.UtcNow, CancellationToken.None);
        await first.DisposeAsync();

        // containerd restarts a little later: the publisher must reconnect and retry, not give up.
        var publishing = publisher.PublishAsync(new TaskResumed("c1"), DateTimeOffset.UtcNow, CancellationToken.None);
        await Task.Delay(150);
        await using var second = await FakeContainerd.StartAsync(Temp.File("events.sock"));
        await publishing.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("/tasks/resumed", Assert.Single(second.Received).Request.Envelope.Topic);
    }

    [Fact]
    public async Task An_event_containerd_keeps_refusing_is_given_up_after_five_requeues()
    {
        await using var containerd = await FakeContainerd.StartAsync(Temp.File("events.sock"), refuse: true);
        await using var publisher = new TtrpcEventPublisher(Temp.File("events.sock"), "ns", NullLogger.Instance, backoffStep: TimeSpan.FromMilliseconds(1));

        var error = await Assert.ThrowsAsync<RpcException>(() => publisher.PublishAsync(new TaskOom("c1"), DateTimeOffset.UtcNow, CancellationToken.None));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(1 + TtrpcEventPublisher.MaxRequeue, containerd.Attempts);
    }

    private sealed class FakeContainerd : IAsyncDisposable
    {
        private readonly TtrpcServer _server;
        private readonly Task _serving;
        private readonly string _path;
        private int _attempts;

        private FakeContainerd(string path, bool refuse)
        {
            _path = path;
            _server = new TtrpcServer();
            _server.AddService(TtrpcEventPublisher.Service).AddUnary("Forward", ForwardRequest.Parser, (ForwardRequest request, TtrpcServerCallContext context) =>
            {
                Interlocked.Increment(ref _attempts);
                if (refuse)
                {
                    throw new RpcException(StatusCode.Unavailable, "event exchange is shutting down");
                }

                Received.Enqueue((request, context.Metadata.ToList()));
                return ValueTask.FromResult(new Empty());
            });
            _serving = _server.ServeUnixAsync(path);
        }

        public ConcurrentQueue<(ForwardRequest Request, List<KeyValuePair<string, string>> Metadata)> Received { get; } = new();

        public int Attempts => Volatile.Read(ref _attempts);

        public static async Task<FakeContainerd> StartAsync(string path, bool refuse = false)
        {
            var fake = new FakeContainerd(path, refuse);
            while (!File.Exists(path))
            {
                await Task.Delay(5);
            }

            return fake;
        }

        public async ValueTask DisposeAsync()
        {
            await _server.DisposeAsync();
            await _serving;
            File.Delete(_path);
        }
    }
}
