using System.Reflection;

namespace Sealpod.Shim.Hosting;

/// <summary>The shim's name and version, for <c>-v</c>, <c>-info</c> and Connect.</summary>
public static class ShimVersion
{
    public const string RuntimeName = "io.containerd.sealpod.v2";
    public const string BinaryName = "containerd-shim-sealpod-v2";

    public static string Version { get; } =
        typeof(ShimVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static string Revision { get; } =
        typeof(ShimVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+').ElementAtOrDefault(1) ?? string.Empty;
}
