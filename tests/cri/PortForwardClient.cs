using System.Buffers.Binary;
using System.Net.WebSockets;
using Sealpod.CriHarness.V1;

namespace Sealpod.CriHarness;

/// <summary>
/// What <c>kubectl port-forward</c> does, through the kubelet, for one connection: CRI's PortForward for a URL on
/// containerd's streaming server, then Kubernetes' WebSocket port-forward protocol on it (v4.channel.k8s.io, which
/// containerd 1.6's streaming server speaks besides SPDY): per port a data channel (2n) and an error channel (2n+1);
/// every binary message starts with its channel's number; the server first sends each channel the port as a
/// little-endian uint16, then the bytes the pod's port sends back, then closes once that connection ended.
/// </summary>
public static class PortForwardClient
{
    private const string Protocol = "v4.channel.k8s.io";

    /// <summary>
    /// Sends <paramref name="request"/> to <paramref name="port"/> of the pod and returns everything the pod sent back
    /// before the connection closed; throws with the server's message when the error channel reports one.
    /// </summary>
    public static async Task<string> ExchangeAsync(CriContainerd containerd, string sandboxId, int port, string request, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(containerd);
        var response = await containerd.Runtime.PortForwardAsync(
            new PortForwardRequest { PodSandboxId = sandboxId, Port = { port } }, CriContainerd.Deadline(TimeSpan.FromSeconds(30), cancellationToken));

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);

        // The streaming server listens on 127.0.0.1 in containerd's (the isolated) namespace: connect from there.
        using var invoker = containerd.Network.CreateHttpClient(timeout);
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(Protocol);
        var uri = new UriBuilder(response.Url) { Scheme = "ws", Query = $"port={port}" }.Uri;
        await socket.ConnectAsync(uri, invoker, deadline.Token).ConfigureAwait(false);

        await socket.SendAsync(Message(0, Encoding.ASCII.GetBytes(request)), WebSocketMessageType.Binary, endOfMessage: true, deadline.Token).ConfigureAwait(false);

        var data = new MemoryStream();
        var error = new MemoryStream();
        var headers = new bool[2];
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var message = new MemoryStream();
            WebSocketReceiveResult received;
            try
            {
                do
                {
                    received = await socket.ReceiveAsync(buffer, deadline.Token).ConfigureAwait(false);
                    message.Write(buffer, 0, received.Count);
                }
                while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);
            }
            catch (WebSocketException closed) when (closed.WebSocketErrorCode == WebSocketError.ConnectionClosedPrematurely)
            {
                break; // the server dropped the connection without a close frame: the exchange is over all the same
            }

            if (received.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            var bytes = message.ToArray();
            if (bytes.Length == 0 || bytes[0] > 1)
            {
                throw new InvalidDataException($"port-forward message on unexpected channel {(bytes.Length == 0 ? "(empty)" : bytes[0])}");
            }

            int channel = bytes[0];
            var payload = bytes.AsSpan(1);
            if (!headers[channel])
            {
                // The first message on each channel names the port it belongs to.
                if (payload.Length < 2 || BinaryPrimitives.ReadUInt16LittleEndian(payload) != port)
                {
                    throw new InvalidDataException($"port-forward channel {channel} did not start with port {port}");
                }

                headers[channel] = true;
                payload = payload[2..];
            }

            (channel == 0 ? data : error).Write(payload);
        }

        if (error.Length > 0)
        {
            throw new InvalidOperationException("port-forward error: " + Encoding.UTF8.GetString(error.ToArray()));
        }

        return Encoding.UTF8.GetString(data.ToArray());
    }

    private static byte[] Message(byte channel, byte[] payload) => [channel, .. payload];
}
