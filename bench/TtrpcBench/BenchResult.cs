using System.Text.Json.Serialization;

namespace Sealpod.Bench.Ttrpc;

/// <summary>One measured pairing; the JSON names are the ones the Go peer prints.</summary>
internal sealed record BenchResult
{
    [JsonPropertyName("implementation")]
    public required string Implementation { get; init; }

    [JsonPropertyName("payloadBytes")]
    public int PayloadBytes { get; init; }

    [JsonPropertyName("sequentialCalls")]
    public int SequentialCalls { get; init; }

    [JsonPropertyName("p50Micros")]
    public double P50Micros { get; init; }

    [JsonPropertyName("p99Micros")]
    public double P99Micros { get; init; }

    [JsonPropertyName("sequentialCallsPerSecond")]
    public double SequentialCallsPerSecond { get; init; }

    [JsonPropertyName("concurrency")]
    public int Concurrency { get; init; }

    [JsonPropertyName("concurrentCalls")]
    public long ConcurrentCalls { get; init; }

    [JsonPropertyName("concurrentCallsPerSecond")]
    public double ConcurrentCallsPerSecond { get; init; }

    /// <summary>Managed bytes allocated per sequential call by this process (client, plus server when it is ours); C# runs only.</summary>
    [JsonPropertyName("allocatedBytesPerCall")]
    public long? AllocatedBytesPerCall { get; init; }
}
