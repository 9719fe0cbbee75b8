namespace Sealpod.Runtime.Tests.Fakes;

/// <summary>
/// The guest side of a process's streams, scripted: stdout comes from <see cref="StdoutSource"/>, stdin is
/// collected. Stands in for the agent's ReadStdout/WriteStdin calls, which need a VM (the integration tests
/// move real bytes through the guest); the FIFOs on the host side are real.
/// </summary>
internal sealed class ScriptedStreams : IProcessStreams
{
    private readonly MemoryStream _stdin = new();
    private long _handedOut;
    private int _closeCount;

    /// <summary>Returns the next chunk of at most the given length, or null at end-of-stream.</summary>
    public Func<int, byte[]?> StdoutSource { get; init; } = _ => null;

    /// <summary>
    /// A source that hands out <paramref name="data"/> in chunks of at most <paramref name="chunkSize"/> bytes (and
    /// the length asked for), then ends.
    /// </summary>
    public static Func<int, byte[]?> Chunks(byte[] data, int chunkSize)
    {
        int offset = 0;
        return max =>
        {
            if (offset == data.Length)
            {
                return null;
            }

            int length = Math.Min(Math.Min(max, chunkSize), data.Length - offset);
            var chunk = data.AsSpan(offset, length).ToArray();
            offset += length;
            return chunk;
        };
    }

    /// <summary>A source that hands out <paramref name="data"/> in one piece, then ends.</summary>
    public static Func<int, byte[]?> Once(byte[] data)
    {
        int taken = 0;
        return _ => Interlocked.Exchange(ref taken, 1) == 0 ? data : null;
    }

    /// <summary>At most this many bytes are accepted per WriteStdin, to exercise partial writes.</summary>
    public int MaxStdinWrite { get; init; } = int.MaxValue;

    public long HandedOut => Interlocked.Read(ref _handedOut);

    public int CloseCount => Volatile.Read(ref _closeCount);

    public TaskCompletionSource StdinClosed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public byte[] StdinBytes()
    {
        lock (_stdin)
        {
            return _stdin.ToArray();
        }
    }

    public Task<ReadOnlyMemory<byte>> ReadStdoutAsync(int maxLength, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var chunk = StdoutSource(maxLength);
        if (chunk is null)
        {
            return Task.FromResult(ReadOnlyMemory<byte>.Empty);
        }

        Interlocked.Add(ref _handedOut, chunk.Length);
        return Task.FromResult<ReadOnlyMemory<byte>>(chunk);
    }

    /// <summary>Like <see cref="StdoutSource"/>, for stderr (none by default).</summary>
    public Func<int, byte[]?> StderrSource { get; init; } = _ => null;

    public Task<ReadOnlyMemory<byte>> ReadStderrAsync(int maxLength, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<ReadOnlyMemory<byte>>(StderrSource(maxLength) ?? ReadOnlyMemory<byte>.Empty);
    }

    public Task<int> WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        int accepted = Math.Min(data.Length, MaxStdinWrite);
        lock (_stdin)
        {
            if (StdinClosed.Task.IsCompleted)
            {
                throw new InvalidOperationException("stdin written after CloseStdin");
            }

            _stdin.Write(data.Span[..accepted]);
        }

        return Task.FromResult(accepted);
    }

    public Task CloseStdinAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _closeCount);
        StdinClosed.TrySetResult();
        return Task.CompletedTask;
    }
}
