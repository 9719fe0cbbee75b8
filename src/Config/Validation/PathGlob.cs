namespace Sealpod.Config;

/// <summary>
/// Go's <c>path/filepath.Match</c> on Linux, the one matcher for every pattern a Go peer would match with it:
/// containerd's <c>pod_annotations</c> and config imports, and (element by element, as Go's Glob, see
/// <see cref="MatchesPath"/>) Kata's <c>valid_*_paths</c> lists. <c>*</c> and <c>?</c>
/// never match <c>/</c>; <c>[a-z]</c> classes, negated with <c>^</c> only (<c>!</c> is a member, as in Go);
/// a reversed range such as <c>[z-a]</c> is valid and holds nothing; <c>\</c> escapes, and a trailing one is malformed.
/// It follows Go's algorithm on the UTF-8 bytes, so even its quirks agree: the pattern is cut into chunks at stars,
/// each chunk taken at the first place it fits, and a star skips bytes, not characters.
/// Matching is on the text only; Kata's Go runtime expands the pattern against the host's files, which additionally
/// requires the file to exist: that check belongs to the driver that opens the file.
/// </summary>
public static class PathGlob
{
    private const byte Separator = (byte)'/';

    private enum Outcome
    {
        Match,
        Mismatch,
        BadPattern,
    }

    /// <summary>Why <paramref name="pattern"/> is malformed, or null if it is fine.</summary>
    /// <remarks>
    /// Go reports a malformed chunk only once matching reaches it; a configuration is checked whole, which loses
    /// nothing because a pattern with a malformed chunk can never match.
    /// </remarks>
    public static string? Validate(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var bytes = Encoding.UTF8.GetBytes(pattern);
        ReadOnlySpan<byte> rest = bytes;
        while (rest.Length > 0)
        {
            var chunk = NextChunk(ref rest, out _);
            var nothing = ReadOnlySpan<byte>.Empty;
            if (MatchChunk(chunk, ref nothing, out var badClass) == Outcome.BadPattern)
            {
                if (badClass < 0)
                {
                    return "trailing backslash";
                }

                var byteOffset = bytes.Length - rest.Length - chunk.Length + badClass;
                return $"malformed character class at offset {Encoding.UTF8.GetCharCount(bytes, 0, byteOffset)}";
            }
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="path"/> is one of the paths Go's <c>filepath.Glob(pattern)</c> can return, which is how
    /// Kata checks a path against an allow-list (<c>checkPathIsInGlobs</c>): Glob matches one path element at a time,
    /// so no class or escape stands for a separator (<c>/usr/bin/qemu[^.]*</c> never reaches <c>/usr/bin/qemu/x</c>,
    /// which <see cref="IsMatch"/> would allow), and a class cut by a separator is malformed.
    /// </summary>
    public static bool MatchesPath(string pattern, string path)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(path);
        var patternElements = pattern.Split('/');
        var pathElements = path.Split('/');
        return patternElements.Length == pathElements.Length
            && patternElements.Zip(pathElements).All(pair => IsMatch(pair.First, pair.Second));
    }

    /// <summary>Whether the whole of <paramref name="name"/> matches <paramref name="pattern"/>; false for malformed patterns.</summary>
    public static bool IsMatch(string pattern, string name)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(name);
        ReadOnlySpan<byte> rest = Encoding.UTF8.GetBytes(pattern);
        ReadOnlySpan<byte> text = Encoding.UTF8.GetBytes(name);
        while (rest.Length > 0)
        {
            var chunk = NextChunk(ref rest, out var star);
            if (star && chunk.IsEmpty)
            {
                return !text.Contains(Separator);
            }

            if (!TryMatchChunkAfterStar(chunk, star, isLast: rest.IsEmpty, ref text))
            {
                return false;
            }
        }

        return text.IsEmpty;
    }

    /// <summary>
    /// Matches <paramref name="chunk"/> where <paramref name="text"/> starts or, after a star, a few bytes on (never
    /// past a '/'), and leaves <paramref name="text"/> after the first place it fits; the last chunk must end the text.
    /// </summary>
    private static bool TryMatchChunkAfterStar(scoped ReadOnlySpan<byte> chunk, bool star, bool isLast, ref ReadOnlySpan<byte> text)
    {
        for (var skip = 0; skip <= text.Length; skip++)
        {
            if (skip > 0 && (!star || text[skip - 1] == Separator))
            {
                return false;
            }

            var after = text[skip..];
            switch (MatchChunk(chunk, ref after, out _))
            {
                case Outcome.BadPattern:
                    return false;
                case Outcome.Match when after.IsEmpty || !isLast:
                    text = after;
                    return true;
            }
        }

        return false;
    }

    /// <summary>Cuts the leading stars and the chunk up to the next star outside a class off <paramref name="pattern"/>.</summary>
    private static ReadOnlySpan<byte> NextChunk(ref ReadOnlySpan<byte> pattern, out bool star)
    {
        var stars = 0;
        while (stars < pattern.Length && pattern[stars] == '*')
        {
            stars++;
        }

        star = stars > 0;
        pattern = pattern[stars..];
        var inClass = false;
        var end = 0;
        for (; end < pattern.Length; end++)
        {
            var c = pattern[end];
            if (c == '\\' && end + 1 < pattern.Length)
            {
                end++;
            }
            else if (c == '[' || c == ']')
            {
                inClass = c == '[';
            }
            else if (c == '*' && !inClass)
            {
                break;
            }
        }

        var chunk = pattern[..end];
        pattern = pattern[end..];
        return chunk;
    }

    /// <summary>
    /// Matches the star-free <paramref name="chunk"/> at the start of <paramref name="text"/> and leaves the text after
    /// it. Like Go it reads the whole chunk even once the match has failed, so a malformed chunk is always reported;
    /// <paramref name="badClass"/> is then the offset of the malformed class in the chunk, or -1 for a trailing '\'.
    /// </summary>
    private static Outcome MatchChunk(scoped ReadOnlySpan<byte> chunk, ref ReadOnlySpan<byte> text, out int badClass)
    {
        badClass = -1;
        var chunkLength = chunk.Length;
        var failed = false;
        while (chunk.Length > 0)
        {
            failed |= text.IsEmpty;
            switch (chunk[0])
            {
                case (byte)'[':
                    var classStart = chunkLength - chunk.Length;
                    var c = failed ? -1 : ReadRune(ref text);
                    if (!TryMatchClass(ref chunk, c, out var inClass))
                    {
                        badClass = classStart;
                        return Outcome.BadPattern;
                    }

                    failed |= !inClass;
                    break;

                case (byte)'?':
                    if (!failed)
                    {
                        failed = text[0] == Separator;
                        ReadRune(ref text);
                    }

                    chunk = chunk[1..];
                    break;

                default:
                    if (chunk[0] == '\\')
                    {
                        chunk = chunk[1..];
                        if (chunk.IsEmpty)
                        {
                            return Outcome.BadPattern;
                        }
                    }

                    if (!failed)
                    {
                        failed = chunk[0] != text[0];
                        text = text[1..];
                    }

                    chunk = chunk[1..];
                    break;
            }
        }

        return failed ? Outcome.Mismatch : Outcome.Match;
    }

    /// <summary>Reads "[...]" off <paramref name="chunk"/> and whether it admits <paramref name="c"/> (-1: no character).</summary>
    private static bool TryMatchClass(ref ReadOnlySpan<byte> chunk, int c, out bool admits)
    {
        admits = false;
        chunk = chunk[1..];
        var negated = chunk.Length > 0 && chunk[0] == '^';
        if (negated)
        {
            chunk = chunk[1..];
        }

        var inRanges = false;
        for (var ranges = 0; chunk.Length == 0 || chunk[0] != ']' || ranges == 0; ranges++)
        {
            if (!TryReadClassRune(ref chunk, out var low))
            {
                return false;
            }

            var high = low;
            if (chunk[0] == '-')
            {
                chunk = chunk[1..];
                if (!TryReadClassRune(ref chunk, out high))
                {
                    return false;
                }
            }

            // A reversed range such as [z-a] is no error in Go: it simply holds nothing.
            inRanges |= low <= c && c <= high;
        }

        chunk = chunk[1..];
        admits = c >= 0 && inRanges != negated;
        return true;
    }

    /// <summary>One class member, '\' escaping; false where Go says ErrBadPattern (nothing may end the pattern here).</summary>
    private static bool TryReadClassRune(ref ReadOnlySpan<byte> chunk, out int value)
    {
        value = 0;
        if (chunk.IsEmpty || chunk[0] == '-' || chunk[0] == ']')
        {
            return false;
        }

        if (chunk[0] == '\\')
        {
            chunk = chunk[1..];
            if (chunk.IsEmpty)
            {
                return false;
            }
        }

        var valid = Rune.DecodeFromUtf8(chunk, out _, out _) == System.Buffers.OperationStatus.Done;
        value = ReadRune(ref chunk);
        return valid && !chunk.IsEmpty;
    }

    /// <summary>Reads one UTF-8 character; a byte that starts none reads as itself alone, as Go's U+FFFD of width 1.</summary>
    private static int ReadRune(ref ReadOnlySpan<byte> text)
    {
        if (Rune.DecodeFromUtf8(text, out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
        {
            text = text[1..];
            return Rune.ReplacementChar.Value;
        }

        text = text[consumed..];
        return rune.Value;
    }
}
