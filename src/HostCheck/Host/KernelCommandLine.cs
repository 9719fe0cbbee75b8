namespace Sealpod.HostCheck.Host;

/// <summary>The host kernel's boot parameters (/proc/cmdline), up to the "--" that starts init's arguments.</summary>
public sealed class KernelCommandLine
{
    public const string Path = "/proc/cmdline";

    private readonly Dictionary<string, string?> _parameters;

    private KernelCommandLine(string text, Dictionary<string, string?> parameters)
    {
        Text = text;
        _parameters = parameters;
    }

    public string Text { get; }

    /// <summary>Empty command line (the file could not be read).</summary>
    public static KernelCommandLine Empty { get; } = new("", new Dictionary<string, string?>(StringComparer.Ordinal));

    public static KernelCommandLine Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var token in text.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (token == "--")
            {
                break;
            }

            var eq = token.IndexOf('=', StringComparison.Ordinal);
            // The kernel treats '-' and '_' alike in parameter names; the last occurrence wins, as in the kernel.
            var name = (eq < 0 ? token : token[..eq]).Replace('-', '_');
            parameters[name] = eq < 0 ? null : token[(eq + 1)..].Trim('"');
        }

        return new KernelCommandLine(text.Trim(), parameters);
    }

    public bool Contains(string name) => _parameters.ContainsKey(name.Replace('-', '_'));

    public string? Get(string name) => _parameters.TryGetValue(name.Replace('-', '_'), out var value) ? value : null;

    /// <summary>The parameter as written ("prot_virt=1"), or null when absent.</summary>
    public string? Describe(string name) =>
        Contains(name) ? (Get(name) is { } value ? $"{name}={value}" : name) : null;
}
