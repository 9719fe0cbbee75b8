namespace Sealpod.HostCheck.Cli;

/// <summary>
/// The options after the command word: flags (--json) and options with a value (--config FILE or --config=FILE).
/// Anything not declared is a usage error naming the offending argument.
/// </summary>
public sealed class CliOptions
{
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    private CliOptions()
    {
    }

    public static CliOptions Parse(IReadOnlyList<string> arguments, IReadOnlySet<string> flags, IReadOnlySet<string> valueOptions)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var options = new CliOptions();
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            var eq = argument.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 && argument.StartsWith("--", StringComparison.Ordinal) ? argument[..eq] : argument;
            if (flags.Contains(name) && eq < 0)
            {
                options._flags.Add(name);
            }
            else if (valueOptions.Contains(name))
            {
                string value;
                if (eq > 0 && name != argument)
                {
                    value = argument[(eq + 1)..];
                }
                else if (i + 1 < arguments.Count)
                {
                    value = arguments[++i];
                }
                else
                {
                    throw new CliUsageException($"{name} needs a value");
                }

                if (value.Length == 0)
                {
                    throw new CliUsageException($"{name} needs a non-empty value");
                }

                if (!options._values.TryGetValue(name, out var list))
                {
                    options._values[name] = list = [];
                }

                list.Add(value);
            }
            else
            {
                throw new CliUsageException(argument.StartsWith('-') ? $"unknown option '{argument}'" : $"unexpected argument '{argument}'");
            }
        }

        return options;
    }

    public bool Has(string flag) => _flags.Contains(flag);

    /// <summary>The last value given for an option, or null.</summary>
    public string? Value(string option) => _values.TryGetValue(option, out var list) ? list[^1] : null;

    public IReadOnlyList<string> Values(string option) => _values.TryGetValue(option, out var list) ? list : [];
}
