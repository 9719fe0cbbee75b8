namespace Sealpod.Runtime.IO;

/// <summary>The guest side of one process's standard streams (the agent's long-poll stream calls, bound to the process).</summary>
public interface IProcessStreams
{
    /// <summary>Up to <paramref name="maxLength"/> bytes of stdout; empty once the stream has ended.</summary>
    Task<ReadOnlyMemory<byte>> ReadStdoutAsync(int maxLength, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="maxLength"/> bytes of stderr; empty once the stream has ended.</summary>
    Task<ReadOnlyMemory<byte>> ReadStderrAsync(int maxLength, CancellationToken cancellationToken);

    /// <summary>Writes stdin bytes; returns how many the guest took.</summary>
    Task<int> WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Closes the process's stdin (end-of-file for the reader in the guest).</summary>
    Task CloseStdinAsync(CancellationToken cancellationToken);
}
