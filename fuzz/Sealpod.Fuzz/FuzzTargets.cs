using Sealpod.Fuzz.Targets;

namespace Sealpod.Fuzz;

/// <summary>
/// Every target, by name. Adding one: a class under Targets/, a line here, seeds under fuzz/corpus/NAME
/// (Sealpod.Fuzz.Tests fails for a target without seeds).
/// </summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new TtrpcServerTarget(),
        new TtrpcClientTarget(),
        new AgentRequestTarget(),
        new QmpTarget(),
        new ClhResponseTarget(),
        new AnnotationsTarget(),
        new InitDataTarget(),
        new KernelParamsTarget(),
        new OciBundleTarget(),
        new ImageManifestTarget(),
        new ImageIndexTarget(),
        new ImageTarTarget(),
        new RegistryAuthTarget(),
    ];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
