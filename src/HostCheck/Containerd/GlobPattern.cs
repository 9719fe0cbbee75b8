namespace Sealpod.HostCheck.Containerd;

/// <summary>
/// Go's path/filepath.Match, which containerd uses for pod_annotations and for config imports: '*' matches any run
/// of characters except '/', '?' one such character, [a-z] and [^a-z] a class, '\' escapes.
/// </summary>
public static class GlobPattern
{
    public static bool IsMatch(string pattern, string name)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(name);
        return Match(pattern.AsSpan(), name.AsSpan());
    }

    private static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        while (pattern.Length > 0)
        {
            switch (pattern[0])
            {
                case '*':
                    var rest = pattern[1..];
                    for (var i = 0; i <= name.Length; i++)
                    {
                        if (Match(rest, name[i..]))
                        {
                            return true;
                        }

                        if (i < name.Length && name[i] == '/')
                        {
                            return false;
                        }
                    }

                    return false;

                case '?':
                    if (name.Length == 0 || name[0] == '/')
                    {
                        return false;
                    }

                    pattern = pattern[1..];
                    name = name[1..];
                    break;

                case '[':
                    if (name.Length == 0 || !MatchClass(ref pattern, name[0]))
                    {
                        return false;
                    }

                    name = name[1..];
                    break;

                case '\\' when pattern.Length > 1:
                    if (name.Length == 0 || name[0] != pattern[1])
                    {
                        return false;
                    }

                    pattern = pattern[2..];
                    name = name[1..];
                    break;

                default:
                    if (name.Length == 0 || name[0] != pattern[0])
                    {
                        return false;
                    }

                    pattern = pattern[1..];
                    name = name[1..];
                    break;
            }
        }

        return name.Length == 0;
    }

    /// <summary>Consumes "[...]" from the pattern; a malformed class matches nothing, as filepath.Match errors out.</summary>
    private static bool MatchClass(ref ReadOnlySpan<char> pattern, char c)
    {
        var i = 1;
        var negated = i < pattern.Length && pattern[i] == '^';
        if (negated)
        {
            i++;
        }

        var matched = false;
        var ranges = 0;
        while (true)
        {
            if (i < pattern.Length && pattern[i] == ']' && ranges > 0)
            {
                i++;
                break;
            }

            if (!ReadClassChar(pattern, ref i, out var lo))
            {
                pattern = [];
                return false;
            }

            var hi = lo;
            if (i < pattern.Length && pattern[i] == '-')
            {
                i++;
                if (!ReadClassChar(pattern, ref i, out hi))
                {
                    pattern = [];
                    return false;
                }
            }

            matched |= lo <= c && c <= hi;
            ranges++;
        }

        pattern = pattern[i..];
        return matched != negated;
    }

    private static bool ReadClassChar(ReadOnlySpan<char> pattern, ref int i, out char value)
    {
        value = default;
        if (i >= pattern.Length || pattern[i] is '-' or ']')
        {
            return false;
        }

        if (pattern[i] == '\\')
        {
            i++;
            if (i >= pattern.Length)
            {
                return false;
            }
        }

        value = pattern[i++];
        return true;
    }
}
