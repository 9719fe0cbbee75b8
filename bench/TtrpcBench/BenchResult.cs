namespace Sealpod.Bench.Ttrpc;

/// <summary>One measured pairing; in JSON (<see cref="JsonOptions"/>) its names are the ones the Go peer prints.</summary>
internal sealed record BenchResult
{
    /// <summary>The Go peer's spelling of the names: each property's, camel-cased.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public required string Implementation { get; init; }

    public int PayloadBytes { get; init; }

    public int SequentialCalls { get; init; }

    public double P50Micros { get; init; }

    public double P99Micros { get; init; }

    public double SequentialCallsPerSecond { get; init; }

    public int Concurrency { get; init; }

    public long ConcurrentCalls { get; init; }

    public double ConcurrentCallsPerSecond { get; init; }

    /// <summary>Managed bytes allocated per sequential call by this process (client, plus server when it is ours); C# runs only.</summary>
    public long? AllocatedBytesPerCall { get; init; }
}
