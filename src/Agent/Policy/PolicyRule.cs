namespace Sealpod.Agent.Policy;

/// <summary>
/// One <c>default &lt;Request&gt; := true|false</c> rule: whether the request named (by its protobuf message name, as
/// Kata's agent names it) may run, and where the rule was written (line 0 for a built-in policy).
/// </summary>
internal sealed record PolicyRule(string Request, bool Allows, int Line)
{
    public override string ToString() => $"default {Request} := {(Allows ? "true" : "false")}";
}
