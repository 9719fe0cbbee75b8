namespace Sealpod.Shim.Hosting;

/// <summary>
/// Go's <c>filepath.Join</c> and <c>filepath.Clean</c> for slash-separated paths: containerd hashes the
/// joined path to name a shim's socket, so the bytes must match exactly (duplicate slashes, <c>.</c> and
/// <c>..</c> elements and trailing slashes are normalised away, lexically).
/// </summary>
public static class GoPath
{
    public static string Join(params ReadOnlySpan<string> elements)
    {
        var nonEmpty = new List<string>(elements.Length);
        foreach (var element in elements)
        {
            if (!string.IsNullOrEmpty(element))
            {
                nonEmpty.Add(element);
            }
        }

        return nonEmpty.Count == 0 ? string.Empty : Clean(string.Join('/', nonEmpty));
    }

    public static string Clean(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return ".";
        }

        bool rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!rooted)
                {
                    parts.Add(part);
                }

                continue;
            }

            parts.Add(part);
        }

        string joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }
}
