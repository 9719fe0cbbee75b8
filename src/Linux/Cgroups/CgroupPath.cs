namespace Sealpod.Linux.Cgroups;

/// <summary>
/// A cgroup's path inside its hierarchies (<c>/kubepods/pod1/abc</c>). It is joined to every hierarchy's mount point,
/// so it must stay beneath them: absolute, no <c>.</c> or <c>..</c> component, no empty component, no NUL.
/// </summary>
public static class CgroupPath
{
    private const int MaxLength = 4096;

    /// <summary>Whether <paramref name="path"/> is such a path; <paramref name="problem"/> says why not.</summary>
    public static bool IsValid(string path, out string problem)
    {
        ArgumentNullException.ThrowIfNull(path);
        problem = path switch
        {
            "" => "it is empty",
            _ when path.Length > MaxLength => $"it is longer than {MaxLength} characters",
            _ when path[0] != '/' => "it is not absolute",
            "/" => "it is the hierarchy's root, which holds every process of the host",
            _ when path.Contains('\0', StringComparison.Ordinal) => "it contains a NUL character",
            _ => path.TrimEnd('/').Split('/').Skip(1) switch
            {
                var parts when parts.Any(p => p.Length == 0) => "it has an empty component ('//')",
                var parts when parts.Any(p => p is "." or "..") => "it has a '.' or '..' component, which could leave the cgroup hierarchy",
                _ => string.Empty,
            },
        };
        return problem.Length == 0;
    }

    /// <summary><paramref name="path"/> without a trailing slash.</summary>
    /// <exception cref="ArgumentException">It is not a valid cgroup path; the message says why.</exception>
    public static string Validate(string path)
    {
        if (!IsValid(path, out var problem))
        {
            throw new ArgumentException($"cgroup path '{path}' is not usable: {problem}", nameof(path));
        }

        return path.TrimEnd('/');
    }
}
