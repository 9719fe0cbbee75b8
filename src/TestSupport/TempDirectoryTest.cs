namespace Sealpod.TestSupport;

/// <summary>
/// The base of a test class whose tests each work in a private <see cref="TempDirectory"/>: xUnit makes one instance
/// per test and disposes it after, so every test gets a fresh directory and leaves nothing behind. The one copy of the
/// field-plus-Dispose pair that test classes used to write for themselves.
/// </summary>
public abstract class TempDirectoryTest : IDisposable
{
    /// <param name="prefix">The directory name's prefix, so a directory left by a killed test host says whose it was.</param>
    protected TempDirectoryTest(string prefix = "sp-") => Temp = new TempDirectory(prefix);

    /// <param name="temp">A directory made elsewhere than the temporary folder (<see cref="TempDirectory.Under"/>), owned from here on.</param>
    protected TempDirectoryTest(TempDirectory temp) => Temp = temp;

    /// <summary>This test's directory.</summary>
    protected TempDirectory Temp { get; }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Removes the directory; a class that owns more overrides this and calls it last.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Temp.Dispose();
        }
    }
}
