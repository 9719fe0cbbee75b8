namespace Sealpod.TestSupport;

/// <summary>
/// Reference data the project keeps outside the repository: <c>../shared</c> beside the clone, which CI lays there and
/// a plain clone does not have. <c>SEALPOD_SHARED_DIR</c> points the lookup elsewhere (at a missing folder, to see
/// what a bare clone skips).
/// </summary>
public static class SharedData
{
    public const string Variable = "SEALPOD_SHARED_DIR";

    /// <summary>Where the shared data is looked for (it may not exist).</summary>
    public static string Root { get; } = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured
        ? Path.GetFullPath(configured)
        : Path.GetFullPath(Path.Combine(Repository.Root, "..", "shared"));

    /// <summary>The full path of <paramref name="relativePath"/> under <see cref="Root"/>, or null when it is not there.</summary>
    public static string? Find(string relativePath)
    {
        var path = Path.Combine(Root, relativePath);
        return File.Exists(path) || Directory.Exists(path) ? path : null;
    }
}
