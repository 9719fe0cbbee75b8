namespace Sealpod.Config;

/// <summary>
/// A check on a string value: <see cref="Expectation"/> is what a wrong type is told it should have been, and
/// <see cref="Check"/> returns null for a good value or the expectation (with any detail) for a bad one.
/// </summary>
internal sealed class StringRule(string expectation, Func<string, string?> check)
{
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
        QemuMachineType.Expectation,
        v => QemuMachineType.TryParse(v, out _) ? null : QemuMachineType.Expectation);

    /// <summary>Entries of <c>valid_annotation_kernel_params</c>: a parameter name such as <c>agent.log</c> (no value, no spaces).</summary>
    public static StringRule KernelParameterName { get; } = new(
        "a kernel parameter name such as \"agent.aa_kbc_params\"",
        v => v.Length > 0 && !v.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '=' or '"')
            ? null
            : "a kernel parameter name such as \"agent.aa_kbc_params\" (no \"=\", quotes or spaces)");

    /// <summary>A GUID in its 8-4-4-4-12 text form, or empty for "not set".</summary>
    public static StringRule GuidOrEmpty { get; } = new(
        "a GUID such as \"e6f5a162-d67f-4750-a67c-5d065f2a9910\"",
        v => v.Length == 0 || Guid.TryParseExact(v, "D", out _) ? null : "a GUID such as \"e6f5a162-d67f-4750-a67c-5d065f2a9910\"");

    /// <summary>simple-kbs secret types, or empty for "not set".</summary>
    public static StringRule SecretTypeOrEmpty { get; } = new(
        "one of \"bundle\", \"connection\", \"key\", \"report\", \"resource\"",
        v => v is "" or "bundle" or "connection" or "key" or "report" or "resource"
            ? null
            : "one of \"bundle\", \"connection\", \"key\", \"report\", \"resource\"");

    public static StringRule NonEmpty { get; } = new("a non-empty string", v => v.Length > 0 ? null : "a non-empty string");

    public static bool IsAbsolute(string path) => path.Length > 0 && path[0] == '/' && !path.Contains('\0', StringComparison.Ordinal);
}
