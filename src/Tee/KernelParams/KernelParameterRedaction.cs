using System.Collections.Frozen;

namespace Sealpod.Tee.KernelParams;

/// <summary>
/// What of a guest kernel command line may go into a host log. The host log is read by people and tools outside the
/// trust boundary, so the values that name a key broker, a registry credential or a policy resource the guest fetches
/// are replaced by <see cref="Placeholder"/>; the parameter names stay, so the log still shows what was set.
/// Init-Data itself never travels on the command line (it is a disk), and the digest bound from it is redacted by the
/// QEMU parts that carry it.
/// </summary>
public static class KernelParameterRedaction
{
    /// <summary>What a redacted value reads as.</summary>
    public const string Placeholder = "<redacted>";

    /// <summary>
    /// Parameters whose value is an endpoint or a credential: the attestation agent's key broker
    /// (<c>agent.aa_kbc_params</c>, <c>kbc::url</c>), the registry credential resource (<c>agent.image_registry_auth</c>),
    /// the image policy resource (<c>agent.image_policy_file</c>, a <c>kbs:///</c> URI) and proxies, which may carry a
    /// user and password.
    /// </summary>
    public static FrozenSet<string> SensitiveNames { get; } = FrozenSet.Create(
        StringComparer.Ordinal,
        "agent.aa_kbc_params",
        "agent.image_registry_auth",
        "agent.image_policy_file",
        "agent.https_proxy",
        "agent.http_proxy",
        "agent.no_proxy");

    /// <summary>Whether the value of <paramref name="name"/> must not be logged.</summary>
    public static bool IsSensitive(string name) => SensitiveNames.Contains(name);

    /// <summary>The parameters rendered in order (repeated keys kept, as the guest sees them), sensitive values replaced.</summary>
    public static string Redact(KernelParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return string.Join(' ', parameters.Select(p => p.Value is not null && IsSensitive(p.Key) ? p with { Value = Placeholder } : p));
    }

    /// <summary>
    /// A rendered command line with sensitive values replaced. A line that does not parse (an unterminated quote) is
    /// replaced whole: where a value ends cannot be told, so no part of it is safe to show.
    /// </summary>
    public static string Redact(string commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        return KernelParameters.TryParse(commandLine, out var parameters, out _) ? Redact(parameters) : Placeholder;
    }
}
