namespace Sealpod.Config;

/// <summary>
/// glob(3)-style patterns for the <c>valid_*_paths</c> lists, with Go's <c>filepath.Match</c> rules: <c>*</c> and
/// <c>?</c> never match <c>/</c>, <c>[a-z]</c> classes (negated with <c>^</c> or <c>!</c>), <c>\</c> escapes.
/// Matching is on the path text only; Kata's Go runtime expands the pattern against the host's files, which
/// additionally requires the file to exist: that check belongs to the driver that opens the file.
/// </summary>
public static class PathGlob
{
    /// <summary>Why <paramref name="pattern"/> is malformed, or null if it is fine.</summary>
    public static string? Validate(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    if (i + 1 == pattern.Length)
                    {
                        return "trailing backslash";
                    }

                    i++;
                    break;
                case '[':
                    var end = i;
                    if (!TryParseClass(pattern, ref end, '\0', out _))
                    {
                        return $"malformed character class at offset {i}";
                    }

                    i = end - 1;
                    break;
            }
        }

        return null;
    }

    /// <summary>Whether the whole of <paramref name="path"/> matches <paramref name="pattern"/>; false for malformed patterns.</summary>
    public static bool IsMatch(string pattern, string path)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(path);
        if (Validate(pattern) is not null)
        {
            return false;
        }

        int p = 0, s = 0, starP = -1, starS = -1;
        while (s < path.Length)
        {
            if (p < pattern.Length)
            {
                var pc = pattern[p];
                if (pc == '*')
                {
                    starP = ++p;
                    starS = s;
                    continue;
                }

                if (pc == '?' && path[s] != '/')
                {
                    p++;
                    s++;
                    continue;
                }

                if (pc == '[')
                {
                    var next = p;
                    if (path[s] != '/' && TryParseClass(pattern, ref next, path[s], out var matched) && matched)
                    {
                        p = next;
                        s++;
                        continue;
                    }
                }
                else if (pc != '?')
                {
                    var literal = pc;
                    var width = 1;
                    if (pc == '\\')
                    {
                        literal = pattern[p + 1];
                        width = 2;
                    }

                    if (literal == path[s])
                    {
                        p += width;
                        s++;
                        continue;
                    }
                }
            }

            // Mismatch: let the last star swallow one more character, unless that would cross a separator.
            if (starP >= 0 && path[starS] != '/')
            {
                s = ++starS;
                p = starP;
                continue;
            }

            return false;
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>Parses the class starting at <paramref name="index"/> (on '['), leaves index after ']', and tests <paramref name="c"/>.</summary>
    private static bool TryParseClass(string pattern, ref int index, char c, out bool matched)
    {
        matched = false;
        var i = index + 1;
        var negate = i < pattern.Length && (pattern[i] == '^' || pattern[i] == '!');
        if (negate)
        {
            i++;
        }

        var ranges = 0;
        var inClass = false;
        while (true)
        {
            if (i >= pattern.Length)
            {
                return false;
            }

            if (pattern[i] == ']' && ranges > 0)
            {
                i++;
                break;
            }

            if (!TryReadClassChar(pattern, ref i, out var low))
            {
                return false;
            }

            var high = low;
            if (i < pattern.Length && pattern[i] == '-')
            {
                i++;
                if (!TryReadClassChar(pattern, ref i, out high) || high < low)
                {
                    return false;
                }
            }

            inClass |= low <= c && c <= high;
            ranges++;
        }

        index = i;
        matched = inClass != negate;
        return true;
    }

    private static bool TryReadClassChar(string pattern, ref int i, out char c)
    {
        c = '\0';
        if (i >= pattern.Length || pattern[i] == '-' || pattern[i] == ']')
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

        c = pattern[i++];
        return true;
    }
}
