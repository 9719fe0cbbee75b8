using Sealpod.AgentClient.Transport;

namespace Sealpod.AgentClient;

/// <summary>How to reach the guest agent and how long to keep trying.</summary>
public sealed record AgentConnectOptions
{
    public required AgentEndpoint Endpoint { get; init; }

    /// <summary>Kata's <c>[agent.kata] dial_timeout</c>: the whole budget for the agent to answer a health check.</summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>The default timeout of calls that are not long polls (Kata uses 60 s).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Returns the last lines of the guest console, for error messages.</summary>
    public Func<string>? ConsoleTail { get; init; }

    /// <summary>
    /// Completes when the VM is gone. Calls still pending then fail with the returned description
    /// instead of a bare "connection closed".
    /// </summary>
    public Task<string>? VmExited { get; init; }

    /// <summary>Delay between connection attempts; doubles up to one second.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
