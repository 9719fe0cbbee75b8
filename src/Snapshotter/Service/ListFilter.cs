namespace Sealpod.Snapshotter.Service;

/// <summary>
/// containerd's filter syntax as its snapshotters get it (filters.Parse): filters are alternatives, each a
/// comma-separated conjunction of <c>field==value</c> / <c>field!=value</c> over name, parent, kind and
/// labels."KEY" (values bare or double-quoted). Any other clause (regular expressions, presence tests) is not
/// applied: listing more than asked is what containerd's metadata store tolerates (it checks what Walk returns,
/// "Walk did not respect filter"), listing less would lose snapshots.
/// </summary>
public static class ListFilter
{
    public static Func<SnapshotRecord, bool> Parse(IReadOnlyList<string> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Count == 0)
        {
            return _ => true;
        }

        var alternatives = filters.Select(ParseOne).ToList();
        return snapshot => alternatives.Any(all => all.All(clause => clause(snapshot)));
    }

    private static List<Func<SnapshotRecord, bool>> ParseOne(string filter) =>
        SplitOutsideQuotes(filter, ',').Select(ParseClause).ToList();

    private static Func<SnapshotRecord, bool> ParseClause(string clause)
    {
        bool negate;
        int at = clause.IndexOf("!=", StringComparison.Ordinal);
        int equals = clause.IndexOf("==", StringComparison.Ordinal);
        if (at >= 0 && (equals < 0 || at < equals))
        {
            negate = true;
        }
        else if (equals >= 0)
        {
            negate = false;
            at = equals;
        }
        else
        {
            return _ => true;
        }

        string field = clause[..at].Trim();
        string value = Unquote(clause[(at + 2)..].Trim());
        Func<SnapshotRecord, string?>? read = field switch
        {
            "name" => s => s.Name,
            "parent" => s => s.Parent,
            "kind" => s => s.Kind.ToString().ToLowerInvariant(),
            _ when field.StartsWith("labels.", StringComparison.Ordinal) => LabelReader(Unquote(field["labels.".Length..])),
            _ => null,
        };
        return read is null ? _ => true : s => (read(s) == value) != negate;
    }

    private static Func<SnapshotRecord, string?> LabelReader(string key) => s => s.Labels.GetValueOrDefault(key);

    private static string Unquote(string text) =>
        text.Length >= 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal) : text;

    private static IEnumerable<string> SplitOutsideQuotes(string text, char separator)
    {
        int start = 0;
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && quoted)
            {
                i++;
            }
            else if (text[i] == '"')
            {
                quoted = !quoted;
            }
            else if (text[i] == separator && !quoted)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }
}
