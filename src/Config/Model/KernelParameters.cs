using System.Collections;
using Sealpod.Contract.Kernel;

namespace Sealpod.Config;

/// <summary>
/// A guest kernel command line as an ordered list of parameters (<c>kernel_params</c>, the
/// <c>io.katacontainers.config.hypervisor.kernel_params</c> annotation, and what the runtime adds itself).
/// Merging follows Kata: a later parameter replaces an earlier one with the same key in place, new keys are
/// appended, so user values win over defaults without reordering the line.
/// </summary>
public sealed class KernelParameters : IReadOnlyList<KernelParameter>, IEquatable<KernelParameters>
{
    private readonly ImmutableArray<KernelParameter> _items;

    private KernelParameters(ImmutableArray<KernelParameter> items)
    {
        _items = items;
    }

    public static KernelParameters Empty { get; } = new([]);

    public int Count => _items.Length;

    public KernelParameter this[int index] => _items[index];

    /// <summary>
    /// Splits the way the guest kernel will (<see cref="KernelCommandLineTokenizer"/>): double quotes group spaces into
    /// one parameter and are kept here, so <c>dm-mod.create="a b"</c> round-trips. The first <c>=</c> separates key and
    /// value. Only ASCII is accepted: the kernel also splits on byte 0xA0, which UTF-8 puts inside characters such as
    /// <c>à</c>, and a NUL byte would end the line.
    /// </summary>
    /// <exception cref="FormatException">A non-ASCII or control character, an unterminated quote, a quote in a name or an empty name.</exception>
    public static KernelParameters Parse(string text)
    {
        if (!TryParse(text, out var result, out var error))
        {
            throw new FormatException(error);
        }

        return result;
    }

    public static bool TryParse(string text, out KernelParameters result, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        result = Empty;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c > 0x7E || (c < 0x20 && !char.IsWhiteSpace(c)) || c == 0x7F)
            {
                error = $"character U+{(int)c:X4} at offset {i} is not printable ASCII or whitespace (the kernel splits on byte 0xA0 and stops at NUL)";
                return false;
            }
        }

        var items = ImmutableArray.CreateBuilder<KernelParameter>();
        foreach (var argument in KernelCommandLineTokenizer.Split(text))
        {
            // ASCII only, so byte offsets are character offsets.
            if (argument.UnclosedQuoteOffset is { } quote)
            {
                error = $"unterminated double quote at offset {quote}";
                return false;
            }

            var raw = argument.Raw;
            var eq = raw.IndexOf('=', 1);
            if (raw[0] == '=')
            {
                error = $"parameter \"{raw}\" has an empty name";
                return false;
            }

            var key = eq < 0 ? raw : raw[..eq];
            if (key.Contains('"', StringComparison.Ordinal))
            {
                error = $"parameter \"{raw}\" has a double quote in its name; quote only the value (name=\"a b\")";
                return false;
            }

            items.Add(eq < 0 ? new KernelParameter(raw, null) : new KernelParameter(key, raw[(eq + 1)..]));
        }

        result = items.Count == 0 ? Empty : new KernelParameters(items.ToImmutable());
        error = string.Empty;
        return true;
    }

    /// <summary>Sets <paramref name="parameter"/>: replaces every parameter with the same key (keeping the first one's place) or appends.</summary>
    public KernelParameters With(KernelParameter parameter)
    {
        ArgumentException.ThrowIfNullOrEmpty(parameter.Key);
        var builder = ImmutableArray.CreateBuilder<KernelParameter>(_items.Length + 1);
        var replaced = false;
        foreach (var item in _items)
        {
            if (!string.Equals(item.Key, parameter.Key, StringComparison.Ordinal))
            {
                builder.Add(item);
            }
            else if (!replaced)
            {
                builder.Add(parameter);
                replaced = true;
            }
        }

        if (!replaced)
        {
            builder.Add(parameter);
        }

        return new KernelParameters(builder.ToImmutable());
    }

    /// <summary>Applies <paramref name="later"/> on top of this list, parameter by parameter (see <see cref="With"/>).</summary>
    public KernelParameters Merge(KernelParameters later)
    {
        ArgumentNullException.ThrowIfNull(later);
        var result = this;
        foreach (var parameter in later)
        {
            result = result.With(parameter);
        }

        return result;
    }

    /// <summary>The value of the last parameter named <paramref name="key"/>, or null if absent or valueless.</summary>
    public string? GetValue(string key)
    {
        for (var i = _items.Length - 1; i >= 0; i--)
        {
            if (string.Equals(_items[i].Key, key, StringComparison.Ordinal))
            {
                return _items[i].Value;
            }
        }

        return null;
    }

    public bool Contains(string key) => _items.Any(p => string.Equals(p.Key, key, StringComparison.Ordinal));

    /// <summary>The command line, parameters separated by single spaces.</summary>
    public override string ToString() => string.Join(' ', _items);

    public bool Equals(KernelParameters? other) => other is not null && _items.AsSpan().SequenceEqual(other._items.AsSpan());

    public override bool Equals(object? obj) => Equals(obj as KernelParameters);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    public ImmutableArray<KernelParameter>.Enumerator GetEnumerator() => _items.GetEnumerator();

    IEnumerator<KernelParameter> IEnumerable<KernelParameter>.GetEnumerator() => ((IEnumerable<KernelParameter>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable)_items).GetEnumerator();
}
