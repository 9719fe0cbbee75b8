namespace Sealpod.HostCheck.Probing;

/// <summary>The outcome of reading one host file: its text, or why it could not be read.</summary>
public readonly record struct FileReadResult(string Path, FileReadStatus Status, string? Text, string? Error)
{
    public bool Ok => Status == FileReadStatus.Ok;

    /// <summary>The text with surrounding whitespace removed (sysfs values end with a newline); null when not read.</summary>
    public string? Trimmed => Text?.Trim();

    public static FileReadResult Read(string path, string text) => new(path, FileReadStatus.Ok, text, null);

    public static FileReadResult Missing(string path) => new(path, FileReadStatus.NotFound, null, "not found");

    public static FileReadResult Failed(string path, FileReadStatus status, string error) => new(path, status, null, error);

    /// <summary>How evidence shows the value: the trimmed text, or the reason it is absent in angle brackets.</summary>
    public string Describe() => Ok ? Trimmed! : $"<{Error}>";
}
