namespace Sealpod.Config;

/// <summary>
/// The virtiofsd options <c>virtio_fs_extra_args</c> may carry, whoever sets it (file or annotation). virtiofsd runs as
/// root on the host: an option naming what it serves (<c>-o source=/</c>, <c>--shared-dir</c>, GHSA-rr59-xxvx-96qr), its
/// socket, or weakening its sandbox, seccomp filter, capabilities or xattr mapping would hand the host to whoever wrote
/// it. Only tuning options that work in both the C and the Rust daemon are accepted; everything else is refused by name.
/// </summary>
internal static class VirtiofsdOptions
{
    private static readonly FrozenSet<string> Flags = new[]
    {
        "--announce-submounts", "--allow-direct-io", "--allow-mmap", "--killpriv-v2", "--no-killpriv-v2", "--no-readdirplus",
        "--posix-acl", "--preserve-noatime", "--security-label", "--syslog", "--writeback", "--xattr",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary><c>--name=value</c> options and the values each accepts (null: a positive integer).</summary>
    private static readonly FrozenDictionary<string, string[]?> Valued = new Dictionary<string, string[]?>
    {
        ["--thread-pool-size"] = null,
        ["--cache"] = ["auto", "always", "never", "metadata"],
        ["--log-level"] = ["error", "warn", "info", "debug", "trace", "off"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The items of a <c>-o a,b=c</c> list.</summary>
    private static readonly FrozenSet<string> CompatFlags = new[]
    {
        "announce_submounts", "allow_direct_io", "no_allow_direct_io", "flock", "no_flock", "killpriv_v2", "no_killpriv_v2",
        "posix_acl", "no_posix_acl", "posix_lock", "no_posix_lock", "readdirplus", "no_readdirplus", "security_label",
        "no_security_label", "writeback", "no_writeback", "xattr", "no_xattr",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string[]?> CompatValued = new Dictionary<string, string[]?>
    {
        ["cache"] = ["auto", "always", "none", "never", "metadata"],
        ["log_level"] = ["debug", "info", "warn", "err"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>What an administrator is told is allowed.</summary>
    public const string Expectation =
        "only virtiofsd tuning options (--thread-pool-size=N, --cache=MODE, --log-level=LEVEL, --announce-submounts, --allow-direct-io, "
        + "--xattr, --posix-acl, --writeback, --no-readdirplus, --killpriv-v2, --syslog, ...; -o xattr, -o announce_submounts, -o cache=MODE, ...): "
        + "options that choose what virtiofsd serves or how it is confined (source, --shared-dir, --socket-path, --fd, sandbox, seccomp, "
        + "modcaps, xattrmap, ...) are set by Sealpod alone";

    /// <summary>Null when every argument is allowed, else the first one refused, quoted, with the allow-list.</summary>
    public static string? Check(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument == "-o")
            {
                if (i + 1 == arguments.Count)
                {
                    return "\"-o\" is last: expected an option list after it";
                }

                var list = arguments[++i];
                foreach (var item in list.Split(','))
                {
                    if (!IsAllowedCompat(item))
                    {
                        return $"option \"-o {item}\" is not allowed: expected {Expectation}";
                    }
                }
            }
            else if (!IsAllowedLong(argument))
            {
                return $"option {ValueText.Quote(argument)} is not allowed: expected {Expectation}";
            }
        }

        return null;
    }

    private static bool IsAllowedLong(string argument) => IsAllowed(argument, Flags, Valued);

    private static bool IsAllowedCompat(string item) => IsAllowed(item, CompatFlags, CompatValued);

    // A flag of the list, or name=value with a name of the list and one of its values.
    private static bool IsAllowed(string option, FrozenSet<string> flags, FrozenDictionary<string, string[]?> valued)
    {
        if (flags.Contains(option))
        {
            return true;
        }

        var equals = option.IndexOf('=', StringComparison.Ordinal);
        return equals > 0
            && valued.TryGetValue(option[..equals], out var values)
            && IsAllowedValue(option[(equals + 1)..], values);
    }

    private static bool IsAllowedValue(string value, string[]? values) =>
        values is null
            ? int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 1024
            : values.Contains(value, StringComparer.Ordinal);
}
