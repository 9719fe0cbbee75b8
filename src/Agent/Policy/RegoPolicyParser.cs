namespace Sealpod.Agent.Policy;

/// <summary>
/// Reads agent policy documents of the shape Kata ships in <c>src/kata-opa</c> (allow-all.rego,
/// allow-all-except-exec-process.rego, coco-default.rego): comments, <c>package agent_policy</c>, then
/// <c>default &lt;Request&gt; := true|false</c> rules. That subset is decided by the rules alone, so no Rego
/// evaluator is needed. Anything else (imports, rules with bodies, data) is refused naming the line, rather than
/// enforced partly: a rule that was skipped would allow or deny what its author did not mean.
/// </summary>
/// <remarks>
/// Where one name has two defaults (coco-default.rego has <c>SetPolicyRequest</c> both ways) the deny wins: OPA would
/// refuse such a document, and of the two readings only the stricter cannot grant the host more than was meant.
/// </remarks>
internal static partial class RegoPolicyParser
{
    private const string Package = "agent_policy";
    private const int MaxQuotedLine = 80;

    /// <summary>Parses <paramref name="text"/>; <paramref name="source"/> names it in errors and denials.</summary>
    /// <exception cref="PolicyException">The document is not of the supported shape; the message names the line.</exception>
    public static AgentPolicy Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrEmpty(source);
        var rules = new Dictionary<string, PolicyRule>(StringComparer.Ordinal);
        var sawPackage = false;
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var number = index + 1;
            var line = WithoutComment(lines[index]).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (PackageLine().Match(line) is { Success: true } package)
            {
                if (package.Groups["name"].Value != Package)
                {
                    throw Refused(source, number, lines[index], $"the package must be {Package}");
                }

                if (sawPackage)
                {
                    throw Refused(source, number, lines[index], "a second package line");
                }

                sawPackage = true;
                continue;
            }

            if (DefaultRule().Match(line) is not { Success: true } rule)
            {
                throw Refused(source, number, lines[index], "only `package agent_policy` and `default <Request> := true|false` rules are supported");
            }

            if (!sawPackage)
            {
                throw Refused(source, number, lines[index], $"a rule before `package {Package}`");
            }

            var request = rule.Groups["request"].Value;
            var allows = rule.Groups["value"].Value == "true";
            if (!rules.TryGetValue(request, out var existing) || (existing.Allows && !allows))
            {
                rules[request] = new PolicyRule(request, allows, number);
            }
        }

        if (!sawPackage)
        {
            throw new PolicyException($"{source}: no `package {Package}` line: not an agent policy");
        }

        return new AgentPolicy(source, rules.Values);
    }

    // Nothing this parser accepts contains a string, so a '#' always starts a comment; in a line that is refused
    // anyway, cutting at a '#' inside a string changes only what is quoted back.
    private static string WithoutComment(string line)
    {
        var hash = line.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? line : line[..hash];
    }

    private static PolicyException Refused(string source, int line, string text, string why) =>
        new($"{source} line {line}: `{Quote(text)}` is not supported: {why} (see src/Agent/README.md, Agent policy)");

    // The text comes from the host or the Init-Data author: keep it short and free of control characters in the log.
    private static string Quote(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Trim())
        {
            if (builder.Length == MaxQuotedLine)
            {
                builder.Append("...");
                break;
            }

            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"^package\s+(?<name>\S+)$", RegexOptions.CultureInvariant)]
    private static partial Regex PackageLine();

    // Rego's older `=` is the same rule as `:=` for a default.
    [GeneratedRegex(@"^default\s+(?<request>[A-Za-z_][A-Za-z0-9_]*)\s*(:=|=)\s*(?<value>true|false)$", RegexOptions.CultureInvariant)]
    private static partial Regex DefaultRule();
}
