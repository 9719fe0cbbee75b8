namespace Sealpod.Grpc;

/// <summary>Settings of a <see cref="GrpcUnaryClient"/>.</summary>
public sealed record GrpcClientOptions
{
    /// <summary>gRPC's customary 4 MiB: larger responses fail with ResourceExhausted.</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>Largest response message accepted, in bytes.</summary>
    public int MaxReceiveMessageSize { get; init; } = DefaultMaxReceiveMessageSize;

    /// <summary>Largest request message sent, in bytes; larger requests fail with ResourceExhausted before sending.</summary>
    public int MaxSendMessageSize { get; init; } = int.MaxValue;

    /// <summary>Applied to calls that pass no timeout of their own; null means no deadline.</summary>
    public TimeSpan? DefaultTimeout { get; init; }

    /// <summary>Sent as user-agent, as gRPC implementations identify themselves.</summary>
    public string UserAgent { get; init; } = "grpc-csharp-sealpod/0.1";

    /// <summary>Time source for deadlines; tests may substitute their own.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
