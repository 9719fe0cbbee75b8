namespace Sealpod.TestSupport;

/// <summary>
/// A private directory under the temporary folder, removed with everything in it on dispose. Its path stays short
/// (prefix plus a few random characters) so unix socket paths inside fit in 108 bytes.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "sp-")
        : this(Directory.CreateTempSubdirectory(prefix))
    {
    }

    private TempDirectory(DirectoryInfo directory)
    {
        Path = directory.FullName;
        Name = System.IO.Path.GetFileName(Path);
    }

    /// <summary>
    /// A private directory under <paramref name="parent"/> instead of the temporary folder, for a test that needs a
    /// particular filesystem. The name is random (11 characters after the prefix) and skipped if it is taken.
    /// </summary>
    public static TempDirectory Under(string parent, string prefix)
    {
        while (true)
        {
            var path = System.IO.Path.Combine(parent, prefix + System.IO.Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal));
            if (!Directory.Exists(path) && !System.IO.File.Exists(path))
            {
                return new TempDirectory(Directory.CreateDirectory(path));
            }
        }
    }

    /// <summary>The directory's own name, unique on this host: usable as an id or a marker in a command line.</summary>
    public string Name { get; }

    public string Path { get; }

    /// <summary>The path of <paramref name="name"/> inside the directory (nothing is created).</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes a file at <paramref name="relativePath"/> (a leading '/' is ignored), creating its directories; returns its path.</summary>
    public string Write(string relativePath, string content)
    {
        var path = Prepare(relativePath);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public string Write(string relativePath, byte[] content)
    {
        var path = Prepare(relativePath);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private string Prepare(string relativePath)
    {
        var path = Combine(relativePath.TrimStart('/'));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        return path;
    }
}
