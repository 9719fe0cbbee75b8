using System.Diagnostics.CodeAnalysis;

namespace Sealpod.Config;

/// <summary>
/// <c>enable_annotations</c> compiled: which <c>io.katacontainers.config.hypervisor.*</c> annotations a pod may set.
/// Each pattern must match the whole base name (Sealpod anchors it; see <see cref="HypervisorConfig.EnableAnnotations"/>).
/// </summary>
public sealed class AnnotationAllowList
{
    // Annotation names are short; the bound only stops a pathological pattern from stalling sandbox creation.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    private readonly ImmutableArray<Regex> _regexes;

    /// <exception cref="ArgumentException">A pattern is not a valid regular expression.</exception>
    public AnnotationAllowList(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var builder = ImmutableArray.CreateBuilder<Regex>();
        var texts = ImmutableArray.CreateBuilder<string>();
        foreach (var pattern in patterns)
        {
            if (!TryCompile(pattern, out var regex, out var reason))
            {
                throw new ArgumentException($"invalid annotation pattern \"{pattern}\": {reason}", nameof(patterns));
            }

            builder.Add(regex);
            texts.Add(pattern);
        }

        _regexes = builder.ToImmutable();
        Patterns = texts.ToImmutable();
    }

    public EquatableArray<string> Patterns { get; }

    /// <summary>Whether <paramref name="baseName"/> (for example <c>default_memory</c>) is enabled.</summary>
    public bool IsEnabled(string baseName)
    {
        ArgumentNullException.ThrowIfNull(baseName);
        foreach (var regex in _regexes)
        {
            try
            {
                if (regex.IsMatch(baseName))
                {
                    return true;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pattern that cannot decide in time does not enable anything.
            }
        }

        return false;
    }

    internal static bool TryCompile(string pattern, [NotNullWhen(true)] out Regex? regex, out string reason)
    {
        try
        {
            // Compiling the pattern on its own first rejects "a)|(.*", which would otherwise escape the anchoring group.
            _ = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
            regex = new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant, MatchTimeout);
            reason = string.Empty;
            return true;
        }
        catch (ArgumentException e)
        {
            regex = null;
            reason = e.Message;
            return false;
        }
    }
}
