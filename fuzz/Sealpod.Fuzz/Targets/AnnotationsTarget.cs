using System.Text.RegularExpressions;
using Sealpod.Config;

namespace Sealpod.Fuzz.Targets;

/// <summary>
/// A pod's annotations applied to the shipped configuration with every hypervisor annotation enabled
/// (<c>enable_annotations = [".*"]</c>), so each value parser is reachable. The input is lines of
/// <c>name=value</c>; a name without a dot is taken as a hypervisor annotation's base name
/// (<c>io.katacontainers.config.hypervisor.NAME</c>). Documented: ConfigurationException, naming each annotation.
/// </summary>
internal sealed partial class AnnotationsTarget() : FuzzTarget("annotations", "io.katacontainers.* annotation values incl. kernel_params and cc_init_data (src/Config/Annotations)")
{
    private static readonly HostMemory Memory = HostMemory.Fixed(24 * 1024);

    private readonly Lazy<SealpodConfiguration> _configuration = new(Load);

    public override void Run(ReadOnlySpan<byte> input)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Encoding.UTF8.GetString(input).Split('\n'))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var name = line[..equals];
            annotations[name.Contains('.', StringComparison.Ordinal) ? name : "io.katacontainers.config.hypervisor." + name] = line[(equals + 1)..];
        }

        _ = _configuration.Value.WithAnnotations(annotations, Memory).Hypervisor.KernelParams;
    }

    public override bool IsDocumented(Exception exception) => exception is ConfigurationException;

    private static SealpodConfiguration Load()
    {
        var text = File.ReadAllText(FuzzRepository.Combine("configs", "configuration-qemu-coco-dev.toml"));
        return ConfigurationLoader.LoadText(EnableAnnotations().Replace(text, "enable_annotations = [\".*\"]"), "configuration-qemu-coco-dev.toml");
    }

    [GeneratedRegex("^enable_annotations = .*$", RegexOptions.Multiline)]
    private static partial Regex EnableAnnotations();
}
