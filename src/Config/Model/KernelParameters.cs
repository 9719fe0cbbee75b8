using System.Collections;
using System.Collections.Immutable;
using System.Text;

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
    /// Splits on whitespace; double quotes group spaces into one parameter and are kept, so
    /// <c>dm-mod.create="a b"</c> round-trips. The first <c>=</c> separates key and value.
    /// </summary>
    /// <exception cref="FormatException">An unterminated quote or an empty key (<c>=x</c>).</exception>
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
        var items = ImmutableArray.CreateBuilder<KernelParameter>();
        var token = new StringBuilder();
        var inQuotes = false;
        var quoteStart = 0;
        result = Empty;
        for (var i = 0; i <= text.Length; i++)
        {
            var end = i == text.Length;
            var c = end ? ' ' : text[i];
            if (!end && c == '"')
            {
                inQuotes = !inQuotes;
                quoteStart = i;
                token.Append(c);
                continue;
            }

            if (!inQuotes && (end || char.IsWhiteSpace(c)))
            {
                if (token.Length > 0)
                {
                    var parameter = token.ToString();
                    var eq = parameter.IndexOf('=', StringComparison.Ordinal);
                    if (eq == 0)
                    {
                        error = $"parameter \"{parameter}\" has an empty name";
                        return false;
                    }

                    items.Add(eq < 0 ? new KernelParameter(parameter, null) : new KernelParameter(parameter[..eq], parameter[(eq + 1)..]));
                    token.Clear();
                }

                continue;
            }

            if (end)
            {
                break;
            }

            token.Append(c);
        }

        if (inQuotes)
        {
            error = $"unterminated double quote at offset {quoteStart}";
            return false;
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
