namespace Sealpod.InitData;

/// <summary>Files only the runtime (or the agent) may read: launch sessions, Init-Data, guest configs.</summary>
public static class PrivateFiles
{
    /// <summary>Options for an asynchronous write that creates the file owner-readable only.</summary>
    public static FileStreamOptions ForWriting(FileMode mode)
    {
        var options = new FileStreamOptions
        {
            Mode = mode,
            Access = FileAccess.Write,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }
}
