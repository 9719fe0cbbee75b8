namespace Sealpod.Agent.Policy;

/// <summary>The policy an Init-Data document carries under <c>[data]</c> <c>policy.rego</c>, as Kata's agent reads it.</summary>
internal static class InitDataPolicy
{
    /// <summary>How denials and errors name this policy.</summary>
    public static string Source { get; } = $"Init-Data {InitDataGuestFiles.PolicyKey}";

    /// <summary>Puts the document's policy in force, if it has one; true when it did.</summary>
    /// <exception cref="PolicyException">
    /// The policy is not of the supported shape. The TEE measured it, so the caller fails the boot rather than run
    /// the pod under a policy its author did not write.
    /// </exception>
    public static bool Apply(InitDataDocument? document, PolicyEnforcer enforcer)
    {
        ArgumentNullException.ThrowIfNull(enforcer);
        if (document is null || InitDataGuestFiles.Policy(document) is not { } rego)
        {
            return false;
        }

        enforcer.Replace(RegoPolicyParser.Parse(rego, Source));
        return true;
    }
}
