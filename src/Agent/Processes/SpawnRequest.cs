namespace Sealpod.Agent.Processes;

/// <summary>
/// What to start: an absolute program path, its arguments (without argv[0], which is the path),
/// the complete environment, and the descriptors that become the child's stdin/stdout/stderr
/// (null: /dev/null). Every other descriptor of the agent is close-on-exec.
/// </summary>
internal sealed record SpawnRequest(string Path, IReadOnlyList<string> Arguments)
{
    public IReadOnlyList<string> Environment { get; init; } = [];

    public int? StandardInput { get; init; }

    public int? StandardOutput { get; init; }

    public int? StandardError { get; init; }

    public string? WorkingDirectory { get; init; }
}
