namespace Sealpod.Vmm.Tests.TestSupport;

/// <summary>
/// A unique directory /tmp/svt-NAME (short, so unix socket paths inside fit in 107 bytes),
/// removed with everything in it on dispose.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Name = Guid.NewGuid().ToString("N")[..12];
        Path = "/tmp/svt-" + Name;
        Directory.CreateDirectory(Path);
    }

    /// <summary>The unique part of the path, usable as an id.</summary>
    public string Name { get; }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

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
}
