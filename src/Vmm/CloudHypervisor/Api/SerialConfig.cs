namespace Sealpod.Vmm.CloudHypervisor.Api;

/// <summary>OpenAPI <c>SerialConfig</c>: <c>mode</c> is a <c>ConsoleMode</c> (Off, Pty, Tty, File, Socket, Null).</summary>
public sealed record SerialConfig
{
    public required string Mode { get; init; }

    public string? File { get; init; }
}
