using System.Globalization;

namespace Sealpod.Shim.Hosting;

/// <summary>
/// Go <c>flag</c> syntax as containerd's shims accept it: <c>-name value</c>, <c>--name value</c>,
/// <c>-name=value</c>, boolean flags without a value (or <c>=true</c>/<c>=false</c>), parsing stops at the
/// first non-flag argument (the action) or at <c>--</c>. Unknown flags are skipped rather than fatal, so a
/// newer containerd's additions do not break an older shim; an unknown flag's value is taken to be the next
/// argument unless that is another flag or a known action.
/// </summary>
public static class ShimFlagParser
{
    private static readonly HashSet<string> BooleanFlags = new(StringComparer.Ordinal) { "debug", "v", "info" };

    private static readonly HashSet<string> ValueFlags = new(StringComparer.Ordinal)
    {
        "namespace", "address", "publish-binary", "id", "bundle", "socket", "debug-socket", "listen-fd",
    };

    private static readonly HashSet<string> Actions = new(StringComparer.Ordinal) { "start", "delete" };

    /// <exception cref="FormatException">A known flag lacks its value or has a malformed one.</exception>
    public static ShimFlags Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var ignored = new List<string>();
        int i = 0;
        for (; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg == "--")
            {
                i++;
                break;
            }

            if (arg.Length < 2 || arg[0] != '-' || arg == "-")
            {
                break;
            }

            string body = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
            int equals = body.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? body : body[..equals];
            string? inline = equals < 0 ? null : body[(equals + 1)..];

            if (BooleanFlags.Contains(name))
            {
                values[name] = inline ?? "true";
            }
            else if (ValueFlags.Contains(name))
            {
                if (inline is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        throw new FormatException($"flag needs an argument: -{name}");
                    }

                    inline = args[++i];
                }

                values[name] = inline;
            }
            else
            {
                ignored.Add(arg);
                if (inline is null && i + 1 < args.Count && !args[i + 1].StartsWith('-') && !Actions.Contains(args[i + 1]))
                {
                    ignored.Add(args[++i]);
                }
            }
        }

        return new ShimFlags
        {
            Namespace = values.GetValueOrDefault("namespace", string.Empty),
            Address = values.GetValueOrDefault("address", string.Empty),
            PublishBinary = values.GetValueOrDefault("publish-binary", string.Empty),
            Id = values.GetValueOrDefault("id", string.Empty),
            Bundle = values.GetValueOrDefault("bundle", string.Empty),
            Socket = values.GetValueOrDefault("socket", string.Empty),
            Debug = Bool(values, "debug"),
            Version = Bool(values, "v"),
            Info = Bool(values, "info"),
            ListenFd = values.TryGetValue("listen-fd", out var fd)
                ? int.TryParse(fd, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : throw new FormatException($"invalid value \"{fd}\" for flag -listen-fd: expected a descriptor number")
                : null,
            Action = i < args.Count ? args[i] : string.Empty,
            Ignored = ignored,
        };
    }

    // Go's strconv.ParseBool spellings.
    private static bool Bool(Dictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var text) && text switch
        {
            "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
            "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
            _ => throw new FormatException($"invalid boolean value \"{text}\" for -{name}"),
        };
}
