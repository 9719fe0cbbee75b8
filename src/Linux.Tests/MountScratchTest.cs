namespace Sealpod.Linux.Tests;

/// <summary>
/// A test class whose tests each mount under a scratch directory of their own (<see cref="Scratch"/>): what is still
/// mounted there is detached and the directory removed after every test, as <see cref="TempDirectoryTest"/> does for
/// plain directories.
/// </summary>
public abstract class MountScratchTest : IDisposable
{
    /// <param name="prefix">The directory name's prefix, so a directory left by a killed test host says whose it was.</param>
    private protected MountScratchTest(string prefix) => Scratch = new MountScratch(prefix);

    private protected MountScratch Scratch { get; }

    public void Dispose()
    {
        Scratch.Dispose();
        GC.SuppressFinalize(this);
    }
}
