namespace Sealpod.AgentClient.Model;

/// <summary>
/// A container for the agent to create (not start): the storages it mounts first, then the spec it runs, whose
/// paths are the guest's. <see cref="ExecId"/> is the id of its init process (the container id, as Kata).
/// </summary>
public sealed record CreateContainerRequest
{
    public required string ContainerId { get; init; }

    public required string ExecId { get; init; }

    public IReadOnlyList<Storage> Storages { get; init; } = [];

    public required OciSpec Spec { get; init; }
}
