namespace Sealpod.Agent.Oci;

/// <summary>A terminal size.</summary>
internal sealed record OciBox
{
    public uint Height { get; init; }

    public uint Width { get; init; }
}
