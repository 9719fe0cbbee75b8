using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sealpod.Grpc.Tests.EdgeServer;

/// <summary>
/// An HTTP/2-only Kestrel server on loopback that answers like a broken or non-gRPC server
/// would: the cases a conforming grpc-go server never produces. The last path segment picks
/// the behaviour; every request is recorded.
/// </summary>
public sealed class EdgeCaseServer : IAsyncLifetime
{
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private WebApplication? _app;

    public Uri Address { get; private set; } = new("http://127.0.0.1:0");

    public IReadOnlyCollection<ReceivedRequest> Received => _received;

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync();
        string address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        Address = new Uri(address);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>The requests recorded for <paramref name="scenario"/>.</summary>
    public ReceivedRequest[] ReceivedFor(string scenario) =>
        [.. _received.Where(r => r.Path.EndsWith("/" + scenario, StringComparison.Ordinal))];

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        _received.Enqueue(new ReceivedRequest(
            context.Request.Protocol,
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal),
            body.ToArray()));

        HttpResponse response = context.Response;
        string scenario = context.Request.Path.Value?.Split('/').Last() ?? string.Empty;
        switch (scenario)
        {
            case "Http400":
            case "Http401":
            case "Http403":
            case "Http404":
            case "Http429":
            case "Http500":
            case "Http502":
            case "Http503":
            case "Http504":
                response.StatusCode = int.Parse(scenario["Http".Length..], System.Globalization.CultureInfo.InvariantCulture);
                response.ContentType = "text/plain";
                await response.WriteAsync("not a gRPC server");
                return;

            case "TrailersOnly":
                response.ContentType = "application/grpc";
                response.Headers["grpc-status"] = "7";
                response.Headers["grpc-message"] = "denied%20here%3A%20%E2%9C%93";
                return;

            case "TrailersOnlyOk":
                response.ContentType = "application/grpc";
                response.Headers["grpc-status"] = "0";
                return;

            case "NotGrpc":
                response.ContentType = "text/html";
                await response.WriteAsync("<html></html>");
                return;

            case "NoContentType":
                await response.Body.WriteAsync(Frame(0, new StringValue { Value = "x" }.ToByteArray()));
                response.AppendTrailer("grpc-status", "0");
                return;

            case "OkWithoutMessage":
                await StartGrpcAsync(response);
                response.AppendTrailer("grpc-status", "0");
                return;

            case "MissingStatus":
                await StartGrpcAsync(response);
                await response.Body.WriteAsync(Frame(0, new StringValue { Value = "x" }.ToByteArray()));
                return;

            case "Compressed":
                await StartGrpcAsync(response);
                await response.Body.WriteAsync(Frame(1, [0x1f, 0x8b]));
                response.AppendTrailer("grpc-status", "0");
                return;

            case "TwoMessages":
                await StartGrpcAsync(response);
                await response.Body.WriteAsync(Frame(0, new StringValue { Value = "a" }.ToByteArray()));
                await response.Body.WriteAsync(Frame(0, new StringValue { Value = "b" }.ToByteArray()));
                response.AppendTrailer("grpc-status", "0");
                return;

            case "Truncated":
                await StartGrpcAsync(response);
                byte[] frame = Frame(0, new StringValue { Value = "truncated" }.ToByteArray());
                await response.Body.WriteAsync(frame.AsMemory(0, 8));
                response.AppendTrailer("grpc-status", "0");
                return;

            case "InvalidStatus":
                await StartGrpcAsync(response);
                response.AppendTrailer("grpc-status", "abc");
                return;

            case "UnknownCode":
                await StartGrpcAsync(response);
                response.AppendTrailer("grpc-status", "42");
                response.AppendTrailer("grpc-message", "from the future");
                return;

            case "GarbledDetails":
                await StartGrpcAsync(response);
                response.AppendTrailer("grpc-status", "3");
                response.AppendTrailer("grpc-message", "bad");
                response.AppendTrailer("grpc-status-details-bin", "!!not base64!!");
                return;

            case "Reset":
                context.Abort();
                return;

            case "Inspect":
                response.Headers["x-text"] = "plain";
                response.Headers["x-pair-bin"] = "AQI,AwQ";
                await StartGrpcAsync(response);
                await response.Body.WriteAsync(body.ToArray());
                response.AppendTrailer("grpc-status", "0");
                response.AppendTrailer("x-trailer-bin", "AP8QgH8=");
                return;

            default:
                response.StatusCode = 404;
                return;
        }
    }

    private static async Task StartGrpcAsync(HttpResponse response)
    {
        response.ContentType = "application/grpc";
        await response.StartAsync();
    }

    private static byte[] Frame(byte flag, byte[] message)
    {
        byte[] frame = new byte[5 + message.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame.AsSpan(5));
        return frame;
    }
}
