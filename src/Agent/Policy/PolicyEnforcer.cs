namespace Sealpod.Agent.Policy;

/// <summary>
/// The policy in force, checked before every agent request runs (as Kata's agent does). It starts as a built-in
/// policy and is replaced by Init-Data's <c>policy.rego</c> before the agent serves, or later by SetPolicy, which the
/// policy in force must allow. Each denial is logged on the guest console with the rule that decided it.
/// </summary>
internal sealed class PolicyEnforcer
{
    private readonly ILogger _log;
    private AgentPolicy _policy;

    public PolicyEnforcer(AgentPolicy initial, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(initial);
        _policy = initial;
        _log = log;
    }

    public AgentPolicy Current => Volatile.Read(ref _policy);

    /// <summary>Puts <paramref name="policy"/> in force for every request that starts after this returns.</summary>
    public void Replace(AgentPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var previous = Interlocked.Exchange(ref _policy, policy);
        _log.LogInformation(
            "agent policy {Source} in force ({Allowed} requests allowed, {Denied} denied by rule; replaces {Previous})",
            policy.Source,
            policy.Rules.Values.Count(rule => rule.Allows),
            policy.Rules.Values.Count(rule => !rule.Allows),
            previous.Source);
    }

    /// <summary>Lets <paramref name="request"/> (a protobuf message name) run, or throws.</summary>
    /// <exception cref="PermissionDeniedException">The policy denies it; the message names the request and the rule.</exception>
    public void Check(string request)
    {
        var decision = Current.Decide(request);
        if (!decision.Allowed)
        {
            _log.LogWarning("policy denied {Request}: {Reason}", request, decision.Reason);
            throw new PermissionDeniedException($"{request} is blocked by policy: {decision.Reason}");
        }
    }
}
