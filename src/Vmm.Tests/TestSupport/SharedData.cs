namespace Sealpod.Vmm.Tests.TestSupport;

/// <summary>
/// Reference data the project keeps outside the repository: <c>../shared</c> beside the clone, which CI lays there and
/// a plain clone does not have. <c>SEALPOD_SHARED_DIR</c> points the lookup elsewhere (at a missing folder, to see
/// what a bare clone skips).
/// </summary>
public static class SharedData
{
    public const string Variable = "SEALPOD_SHARED_DIR";

    /// <summary>Where the shared data is looked for (it may not exist).</summary>
    public static string Root { get; } = Locate();

    /// <summary>The full path of <paramref name="relativePath"/> under <see cref="Root"/>, or null when it is not there.</summary>
    public static string? Find(string relativePath)
    {
        var path = Path.Combine(Root, relativePath);
        return File.Exists(path) || Directory.Exists(path) ? path : null;
    }

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Runtime.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
            }
        }

        throw new InvalidOperationException("Runtime.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Runs only when <c>relativePath</c> is in the shared data beside the clone; otherwise skipped, saying what is missing.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(string relativePath)
    {
        if (SharedData.Find(relativePath) is null)
        {
            Skip = $"needs {relativePath} from the shared data beside the clone: {Path.Combine(SharedData.Root, relativePath)} is missing "
                + $"(CI lays ../shared beside the clone; {SharedData.Variable} points elsewhere)";
        }
    }
}
