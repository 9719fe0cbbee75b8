namespace Sealpod.Snapshotter.Store;

/// <summary>What went wrong, in containerd's errdefs terms: the service maps each to its gRPC status in one place.</summary>
public enum SnapshotError
{
    InvalidArgument,
    NotFound,
    AlreadyExists,
    FailedPrecondition,
}

/// <summary>A refused snapshot operation; the message names the snapshot and what was expected.</summary>
public sealed class SnapshotException : Exception
{
    public SnapshotException(SnapshotError error, string message)
        : base(message)
    {
        Error = error;
    }

    public SnapshotException()
    {
    }

    public SnapshotException(string message)
        : base(message)
    {
    }

    public SnapshotException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SnapshotError Error { get; }
}
