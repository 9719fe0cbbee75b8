using Sealpod.Agent.Images;

namespace Sealpod.Fuzz.Targets;

/// <summary>
/// An image reference resolved as a pull does, through the real <see cref="RegistryClient"/> over
/// <see cref="FuzzRegistry"/>: the input's first byte picks the Content-Type header the registry answers with (one of
/// <c>contentTypes</c>, null for none), the rest is what the registry serves. Documented: ImagePullException.
/// </summary>
internal abstract class RegistryResolveTarget(string name, string description, string?[] contentTypes) : FuzzTarget(name, description)
{
    public sealed override void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        using var registry = Serve(input[1..], contentTypes[input[0] % contentTypes.Length]);
        _ = registry.Resolve();
    }

    public sealed override bool IsDocumented(Exception exception) => exception is ImagePullException;

    /// <summary>The registry serving <paramref name="served"/>, answering with <paramref name="contentType"/>.</summary>
    protected abstract FuzzRegistry Serve(ReadOnlySpan<byte> served, string? contentType);
}
