namespace Sealpod.Agent.Runtime;

/// <summary>Reads <c>key=value</c> options from a kernel command line such as /proc/cmdline.</summary>
internal static class KernelCommandLine
{
    /// <summary>The value of the last occurrence of <paramref name="key"/>, or null.</summary>
    public static string? GetValue(string? commandLine, string key)
    {
        if (string.IsNullOrEmpty(commandLine))
        {
            return null;
        }

        string? value = null;
        foreach (var token in commandLine.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (token.Length > key.Length && token[key.Length] == '=' && token.StartsWith(key, StringComparison.Ordinal))
            {
                value = token[(key.Length + 1)..];
            }
        }

        return value;
    }
}
