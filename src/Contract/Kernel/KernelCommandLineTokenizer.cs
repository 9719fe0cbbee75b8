using System.Text;

namespace Sealpod.Contract.Kernel;

/// <summary>
/// Splits a kernel command line the way the Linux kernel does (<c>next_arg</c> in lib/cmdline.c, driven by
/// <c>parse_args</c> in kernel/params.c). The host checks an annotation's parameters and the guest agent reads
/// /proc/cmdline with this one splitter, so a value the host accepted cannot turn into other parameters in the
/// guest. The kernel's rules: whitespace is its <c>isspace</c>, which (Latin-1 ctype) includes byte 0xA0; a double
/// quote toggles quoting anywhere in a parameter; a quote that opens the parameter or its value is dropped together
/// with a quote that ends the parameter; a NUL byte ends the line.
/// </summary>
public static class KernelCommandLineTokenizer
{
    /// <summary>The kernel's <c>isspace</c>: tab, newline, vertical tab, form feed, carriage return, space and 0xA0.</summary>
    public static bool IsSpace(byte b) => b is (>= 0x09 and <= 0x0D) or 0x20 or 0xA0;

    /// <summary>Splits <paramref name="line"/>, the UTF-8 bytes the host writes (QEMU's <c>-append</c>, a VMM's boot config).</summary>
    public static IReadOnlyList<KernelArgument> Split(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return Split(Encoding.UTF8.GetBytes(line));
    }

    /// <summary>Splits the bytes of a command line such as /proc/cmdline. Keys and values are decoded as UTF-8.</summary>
    public static IReadOnlyList<KernelArgument> Split(ReadOnlySpan<byte> line)
    {
        var nul = line.IndexOf((byte)0);
        if (nul >= 0)
        {
            line = line[..nul];
        }

        var arguments = new List<KernelArgument>();
        var position = SkipSpaces(line, 0);
        while (position < line.Length)
        {
            var start = position;
            var quoted = line[position] == '"';
            var inQuote = quoted;
            int? openQuote = quoted ? position : null;
            var args = quoted ? position + 1 : position;

            // i and equals are relative to args, as in next_arg; equals == 0 means "no '=' yet" there too.
            var i = 0;
            var equals = 0;
            for (; args + i < line.Length; i++)
            {
                var c = line[args + i];
                if (IsSpace(c) && !inQuote)
                {
                    break;
                }

                if (equals == 0 && c == '=')
                {
                    equals = i;
                }

                if (c == '"')
                {
                    inQuote = !inQuote;
                    openQuote = inQuote ? args + i : null;
                }
            }

            var lastIsQuote = i > 0 && line[args + i - 1] == '"';
            var keyEnd = equals == 0 ? i : equals;
            string? value = null;
            if (equals != 0)
            {
                var valueStart = equals + 1;
                var valueEnd = i;
                if (valueStart < i && line[args + valueStart] == '"')
                {
                    valueStart++;
                    if (lastIsQuote)
                    {
                        valueEnd = i - 1;
                    }
                }
                else if (quoted && lastIsQuote)
                {
                    valueEnd = i - 1;
                }

                value = Decode(line, args + valueStart, args + Math.Max(valueEnd, valueStart));
            }
            else if (quoted && lastIsQuote)
            {
                keyEnd = i - 1;
            }

            var end = args + i;
            arguments.Add(new KernelArgument(Decode(line, start, end), Decode(line, args, args + keyEnd), value, start, inQuote ? openQuote : null));
            position = SkipSpaces(line, end < line.Length ? end + 1 : end);
        }

        return arguments;
    }

    /// <summary>The value of the last parameter named <paramref name="key"/> before <c>--</c>, or null when absent or valueless.</summary>
    public static string? LastValue(IReadOnlyList<KernelArgument> arguments, string key)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        string? value = null;
        foreach (var argument in arguments)
        {
            if (argument.IsEndOfParameters)
            {
                break;
            }

            if (string.Equals(argument.Key, key, StringComparison.Ordinal))
            {
                value = argument.Value;
            }
        }

        return value;
    }

    private static int SkipSpaces(ReadOnlySpan<byte> line, int position)
    {
        while (position < line.Length && IsSpace(line[position]))
        {
            position++;
        }

        return position;
    }

    private static string Decode(ReadOnlySpan<byte> line, int start, int end) => Encoding.UTF8.GetString(line[start..end]);
}
