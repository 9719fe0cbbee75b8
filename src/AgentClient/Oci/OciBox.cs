namespace Sealpod.AgentClient.Oci;

/// <summary>A terminal's size in characters (runtime-spec <c>process.consoleSize</c>).</summary>
public sealed record OciBox
{
    public uint Height { get; init; }

    public uint Width { get; init; }
}
