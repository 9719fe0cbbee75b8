namespace Sealpod.Agent.Policy;

/// <summary>What a policy says about one request, and why (the rule and where it is written).</summary>
internal readonly record struct PolicyDecision(bool Allowed, string Reason);
