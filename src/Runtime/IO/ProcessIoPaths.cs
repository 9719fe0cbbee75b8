namespace Sealpod.Runtime.IO;

/// <summary>
/// Where containerd wants a process's standard streams: FIFO paths it created (or <c>file://</c> URIs), empty
/// for a stream that is not used. With a terminal, stdout carries the merged output and stderr is empty.
/// </summary>
public sealed record ProcessIoPaths(string Stdin, string Stdout, string Stderr, bool Terminal)
{
    public static ProcessIoPaths None { get; } = new(string.Empty, string.Empty, string.Empty, false);
}
