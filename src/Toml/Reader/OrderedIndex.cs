using System.Diagnostics.CodeAnalysis;

namespace Sealpod.Config.Toml;

/// <summary>
/// A table keeps its entries in the order their keys were first defined, with an index from key to position; the
/// table being built and the finished <see cref="TomlTable"/> look keys up the same way.
/// </summary>
internal static class OrderedIndex
{
    public static bool TryGet<T>(Dictionary<string, int> index, IReadOnlyList<KeyValuePair<string, T>> entries, string key, [MaybeNullWhen(false)] out T value)
    {
        if (index.TryGetValue(key, out var i))
        {
            value = entries[i].Value;
            return true;
        }

        value = default;
        return false;
    }
}
