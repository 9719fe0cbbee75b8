namespace Sealpod.Config;

/// <summary>Handler builders: parse a value the way Kata does and set one property, or say what was expected.</summary>
internal static partial class AnnotationOverrides
{
    private const string BoolExpectation = "expected true or false";

    private static Handler Bool(Func<HypervisorConfig, bool, HypervisorConfig> set) => (s, v) =>
    {
        if (!AnnotationValues.TryBool(v, out var b))
        {
            return $"{BoolExpectation}, {AnnotationValues.Found(v)}";
        }

        s.Hypervisor = set(s.Hypervisor, b);
        return null;
    };

    private static Handler QemuBool(Func<QemuConfig, bool, QemuConfig> set) => (s, v) =>
    {
        if (s.Hypervisor is not QemuConfig q)
        {
            return NotForKind(s);
        }

        if (!AnnotationValues.TryBool(v, out var b))
        {
            return $"{BoolExpectation}, {AnnotationValues.Found(v)}";
        }

        s.Hypervisor = set(q, b);
        return null;
    };

    private static Handler UInt(ulong min, ulong max, string expectation, Func<HypervisorConfig, ulong, HypervisorConfig> set) => (s, v) =>
    {
        if (!AnnotationValues.TryUInt(v, max, out var n) || n < min)
        {
            return $"expected {expectation}, {AnnotationValues.Found(v)}";
        }

        s.Hypervisor = set(s.Hypervisor, n);
        return null;
    };

    private static Handler QemuUInt(ulong min, ulong max, string expectation, Func<QemuConfig, ulong, QemuConfig> set) => (s, v) =>
        s.Hypervisor is QemuConfig ? UInt(min, max, expectation, (h, n) => set((QemuConfig)h, n))(s, v) : NotForKind(s);

    private static Handler Choice<T>(ConfigChoice<T> choice, Func<HypervisorConfig, T, HypervisorConfig> set)
        where T : struct, Enum => (s, v) =>
    {
        if (!choice.TryParse(v, out var value))
        {
            return $"expected {choice.Describe()}, {AnnotationValues.Found(v)}";
        }

        s.Hypervisor = set(s.Hypervisor, value);
        return null;
    };

    private static Handler Text(StringRule? rule, Func<HypervisorConfig, string, HypervisorConfig> set) => (s, v) =>
    {
        if (rule?.Check(v) is { } expectation)
        {
            return $"expected {expectation}, {AnnotationValues.Found(v)}";
        }

        s.Hypervisor = set(s.Hypervisor, v);
        return null;
    };

    private static Handler QemuText(StringRule? rule, Func<QemuConfig, string, QemuConfig> set) => (s, v) =>
        s.Hypervisor is QemuConfig ? Text(rule, (h, t) => set((QemuConfig)h, t))(s, v) : NotForKind(s);

    /// <summary>
    /// A host path chosen by a pod: it must be absolute, free of <c>.</c>/<c>..</c> segments, and match one of the
    /// administrator's globs; an empty list rejects every value (Kata's default).
    /// </summary>
    private static Handler HostPath(
        string listKey,
        Func<HypervisorConfig, EquatableArray<string>?> list,
        Func<HypervisorConfig, string, HypervisorConfig> set) => (s, v) =>
    {
        if (list(s.Hypervisor) is not { } patterns)
        {
            return NotForKind(s);
        }

        if (!AnnotationValues.IsCleanAbsolutePath(v))
        {
            return $"expected an absolute path without \".\" or \"..\" segments, {AnnotationValues.Found(v)}";
        }

        if (patterns.IsEmpty)
        {
            return $"path annotations are rejected because {listKey} is empty in [{SectionName(s.Hypervisor)}]";
        }

        if (!patterns.Any(p => PathGlob.MatchesPath(p, v)))
        {
            return $"expected a path matching {listKey} {patterns}, {AnnotationValues.Found(v)}";
        }

        s.Hypervisor = set(s.Hypervisor, v);
        return null;
    };

    private static string NotForKind(Overrides s) =>
        $"annotation does not apply to [{SectionName(s.Hypervisor)}]";
}
