namespace Sealpod.Snapshotter.Store;

/// <summary>Checks what containerd sends before anything is stored: keys and labels.</summary>
public static class SnapshotInput
{
    /// <summary>containerd's limit for one label, key and value together (labels.Validate).</summary>
    public const int MaxLabelBytes = 4096;

    public static void Key(string key, string field)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new SnapshotException(SnapshotError.InvalidArgument, $"{field}: expected a snapshot key, found an empty string");
        }

        if (key.Length > MaxLabelBytes || key.Contains('\0', StringComparison.Ordinal))
        {
            throw new SnapshotException(SnapshotError.InvalidArgument, $"{field}: expected at most {MaxLabelBytes} characters without NUL, found {key.Length} characters");
        }
    }

    public static Dictionary<string, string> Labels(IReadOnlyDictionary<string, string>? labels)
    {
        var copy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            if (key.Length == 0)
            {
                throw new SnapshotException(SnapshotError.InvalidArgument, "labels: expected non-empty label keys");
            }

            if (System.Text.Encoding.UTF8.GetByteCount(key) + System.Text.Encoding.UTF8.GetByteCount(value) > MaxLabelBytes)
            {
                throw new SnapshotException(SnapshotError.InvalidArgument, $"labels: label \"{key}\" is longer than {MaxLabelBytes} bytes (key and value)");
            }

            copy[key] = value;
        }

        return copy;
    }
}
