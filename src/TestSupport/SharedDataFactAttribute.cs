namespace Sealpod.TestSupport;

/// <summary>Runs only when <c>relativePath</c> is in the shared data beside the clone; otherwise skipped, saying what is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
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
