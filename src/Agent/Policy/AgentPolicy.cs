using System.Collections.Frozen;

namespace Sealpod.Agent.Policy;

/// <summary>
/// An agent policy in the shape of Kata's <c>src/kata-opa</c> documents: one allow-or-deny rule per request name.
/// A document's policy denies a request it has no rule for (OPA answers "undefined", which Kata's agent denies).
/// The two built-in policies stand in when no document was given: <see cref="AllowAll"/> for a guest that is not
/// confidential, <see cref="ConfidentialDefault"/> for one that is.
/// </summary>
internal sealed class AgentPolicy
{
    /// <summary>The requests a confidential guest refuses without a policy, as Kata's coco-default.rego does.</summary>
    public static IReadOnlyList<string> ConfidentialDenials { get; } = ["ExecProcessRequest", "ReseedRandomDevRequest", "SetPolicyRequest"];

    private readonly FrozenDictionary<string, PolicyRule> _rules;
    private readonly bool _allowsUnnamed;

    public AgentPolicy(string source, IEnumerable<PolicyRule> rules, bool allowsUnnamed = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(rules);
        Source = source;
        _rules = rules.ToFrozenDictionary(rule => rule.Request, StringComparer.Ordinal);
        _allowsUnnamed = allowsUnnamed;
    }

    /// <summary>Everything runs: a guest that is not confidential and was given no policy (Kata's allow-all.rego).</summary>
    public static AgentPolicy AllowAll { get; } = new("allow-all (built in: not a confidential guest)", [], allowsUnnamed: true);

    /// <summary>
    /// A confidential guest given no policy: coco-default.rego's effect on every request this agent serves (no exec,
    /// no reseeding of the guest's RNG, no replacing the policy); everything else runs.
    /// </summary>
    public static AgentPolicy ConfidentialDefault { get; } = new(
        "coco-default (built in: confidential guest)",
        ConfidentialDenials.Select(request => new PolicyRule(request, Allows: false, Line: 0)),
        allowsUnnamed: true);

    /// <summary>Where the policy came from (Init-Data, SetPolicy, built in), for errors and the log.</summary>
    public string Source { get; }

    public IReadOnlyDictionary<string, PolicyRule> Rules => _rules;

    /// <summary>Decides <paramref name="request"/>, a protobuf message name such as <c>ExecProcessRequest</c>.</summary>
    public PolicyDecision Decide(string request)
    {
        if (_rules.TryGetValue(request, out var rule))
        {
            var where = rule.Line > 0 ? $"{Source} line {rule.Line}" : Source;
            return new PolicyDecision(rule.Allows, $"{rule} ({where})");
        }

        return _allowsUnnamed
            ? new PolicyDecision(true, Source)
            : new PolicyDecision(false, $"{Source} has no rule for {request} (a request without a rule is denied)");
    }
}
