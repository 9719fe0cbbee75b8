namespace Sealpod.Linux.Processes;

/// <summary>
/// What <see cref="PosixSpawner"/> starts: an executable path (posix_spawn does no PATH search), its arguments (argv[0]
/// is the executable), exactly <see cref="Environment"/>, stdin always /dev/null.
/// </summary>
public sealed record SpawnRequest
{
    public required string Executable { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>KEY=VALUE entries; the child gets these and no others.</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    /// <summary>Where stdout and stderr go (both): this descriptor, or /dev/null when null.</summary>
    public int? OutputDescriptor { get; init; }

    /// <summary>The child's working directory; the caller's when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// Descriptors the child gets at <see cref="PosixSpawner.FirstPassedDescriptor"/> + i, in the child only: the
    /// parent's stay close-on-exec, so no other child ever inherits them.
    /// </summary>
    public IReadOnlyList<SafeHandle> PassedDescriptors { get; init; } = [];
}
