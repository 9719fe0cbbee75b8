namespace Sealpod.IntegrationTests;

/// <summary>Where a private containerd keeps its root, state and sockets.</summary>
internal static class ScratchDirectory
{
    /// <summary>
    /// A new directory under <c>$SEALPOD_TEST_TMP</c> (scripts/run-tests.sh gives each test project a scratch
    /// directory and sweeps it afterwards, in case a killed test host could not clean up), else the temporary folder.
    /// </summary>
    public static string Create(string prefix)
    {
        if (Environment.GetEnvironmentVariable("SEALPOD_TEST_TMP") is not { Length: > 0 } scratch)
        {
            return Directory.CreateTempSubdirectory(prefix).FullName;
        }

        string path = Path.Combine(scratch, prefix + Path.GetRandomFileName().Replace(".", string.Empty, StringComparison.Ordinal)[..8]);
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
