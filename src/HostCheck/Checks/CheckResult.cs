namespace Sealpod.HostCheck.Checks;

/// <summary>One line of a <c>sealpod check</c> report.</summary>
/// <param name="Id">Stable identifier (<see cref="CheckIds"/>); scripts may match on it.</param>
/// <param name="Title">What was checked, for people.</param>
/// <param name="Status">The outcome.</param>
/// <param name="Summary">What was found, in one sentence.</param>
/// <param name="Evidence">The files, CPUID leaves, ioctls and commands read and what they returned.</param>
/// <param name="Remedy">What to do about a WARN or FAIL; null when nothing needs doing.</param>
public sealed record CheckResult(
    string Id,
    string Title,
    CheckStatus Status,
    string Summary,
    IReadOnlyList<Evidence> Evidence,
    string? Remedy)
{
    /// <summary>The value of the first evidence from <paramref name="source"/>, or null.</summary>
    public string? EvidenceValue(string source) => Evidence.FirstOrDefault(e => e.Source == source)?.Value;

    /// <summary>A result titled from <see cref="CheckIds"/>; the remedy is kept only for WARN and FAIL.</summary>
    public static CheckResult Create(string id, CheckStatus status, string summary, IReadOnlyList<Evidence> evidence, string? remedy = null) =>
        new(id, CheckIds.Title(id), status, summary, evidence, status is CheckStatus.Pass or CheckStatus.Skip ? null : remedy);
}
