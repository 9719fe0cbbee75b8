using System.Text.RegularExpressions;

namespace Sealpod.Config;

/// <summary>
/// A check on a string value: <see cref="Expectation"/> is what a wrong type is told it should have been, and
/// <see cref="Check"/> returns null for a good value or the expectation (with any detail) for a bad one.
/// </summary>
internal sealed class StringRule(string expectation, Func<string, string?> check)
{
    private static readonly string[] KnownMachineTypes = ["q35", "pc", "microvm", "virt", "pseries", "s390-ccw-virtio"];

    public string Expectation { get; } = expectation;

    public Func<string, string?> Check { get; } = check;

    /// <summary>Kata's path keys: absolute, or empty for "not set".</summary>
    public static StringRule AbsolutePathOrEmpty { get; } = new(
        "an absolute path",
        v => v.Length == 0 || IsAbsolute(v) ? null : "an absolute path");

    /// <summary>Entries of <c>valid_*_paths</c>: absolute glob(3) patterns (an empty entry allows an empty value, as Kata's lists do).</summary>
    public static StringRule AbsoluteGlob { get; } = new(
        "an absolute path pattern",
        v =>
        {
            if (v.Length == 0)
            {
                return null;
            }

            if (!IsAbsolute(v))
            {
                return "an absolute path pattern";
            }

            return PathGlob.Validate(v) is { } reason ? $"an absolute path pattern ({reason})" : null;
        });

    /// <summary>Entries of <c>enable_annotations</c>.</summary>
    public static StringRule AnnotationRegex { get; } = new(
        "a regular expression",
        v => AnnotationAllowList.TryCompile(v, out _, out var reason) ? null : $"a regular expression ({reason})");

    public static StringRule MachineType { get; } = new(
        "a QEMU machine type (" + string.Join(", ", KnownMachineTypes.Select(m => $"\"{m}\"")) + ")",
        v => KnownMachineTypes.Contains(v, StringComparer.Ordinal)
             || Regex.IsMatch(v, @"^pc-(q35|i440fx)-[0-9]+\.[0-9]+$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))
            ? null
            : "a QEMU machine type (" + string.Join(", ", KnownMachineTypes.Select(m => $"\"{m}\"")) + ")");

    public static StringRule NonEmpty { get; } = new("a non-empty string", v => v.Length > 0 ? null : "a non-empty string");

    public static bool IsAbsolute(string path) => path.Length > 0 && path[0] == '/' && !path.Contains('\0', StringComparison.Ordinal);
}
