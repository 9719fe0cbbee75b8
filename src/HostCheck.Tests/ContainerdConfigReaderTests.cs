namespace Sealpod.HostCheck.Tests;

/// <summary>containerd config.toml reading: versions, imports and errors, on real files in a temporary root.</summary>
public sealed class ContainerdConfigReaderTests : IDisposable
{
    private const string MainConfig = "/etc/containerd/config.toml";

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("sealpod-containerd-");

    public void Dispose() => _root.Delete(recursive: true);

    private LinuxHostProbe Probe => new(_root.FullName);

    private void Write(string path, string text)
    {
        var real = Path.Join(_root.FullName, path);
        Directory.CreateDirectory(Path.GetDirectoryName(real)!);
        File.WriteAllText(real, text);
    }

    /// <summary>Writes containerd's main config.toml and reads it through the reader under test.</summary>
    private ContainerdConfigSnapshot ReadMain(string text)
    {
        Write(MainConfig, text);
        return new ContainerdConfigReader(Probe).Read(MainConfig);
    }

    [Fact]
    public void Version_1_uses_the_short_plugin_name()
    {
        var snapshot = ReadMain("""
            [plugins.cri.containerd.runtimes.sealpod]
              runtime_type = "io.containerd.sealpod.v2"
            """);

        Assert.Equal(ContainerdConfigStatus.Ok, snapshot.Status);
        Assert.Equal(1, snapshot.Version);
        var runtime = Assert.Single(snapshot.Runtimes);
        Assert.Equal("plugins.cri.containerd.runtimes.sealpod", runtime.Table);
        Assert.Null(runtime.PodAnnotations);
        Assert.Null(runtime.ConfigPath);
    }

    [Fact]
    public void Invalid_toml_is_reported_with_its_position()
    {
        var snapshot = ReadMain("version = 2\n[plugins\n");

        Assert.Equal(ContainerdConfigStatus.Invalid, snapshot.Status);
        Assert.StartsWith("/etc/containerd/config.toml:2:", snapshot.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_version_is_unsupported()
    {
        var snapshot = ReadMain("version = 9\n");

        Assert.Equal(ContainerdConfigStatus.Unsupported, snapshot.Status);
        Assert.Contains("config version 9", snapshot.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_import_that_defines_the_cri_plugin_replaces_the_whole_section()
    {
        // containerd's mergeConfig replaces plugin sections wholesale: the main file's runtime disappears.
        Write("/etc/containerd/extra.toml", """
            version = 2
            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.new]
              runtime_type = "io.containerd.sealpod.v2"
            """);
        var snapshot = ReadMain("""
            version = 2
            imports = ["extra.toml"]
            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.old]
              runtime_type = "io.containerd.sealpod.v2"
            """);

        Assert.Equal(ContainerdConfigStatus.Ok, snapshot.Status);
        Assert.Equal(["new"], snapshot.Runtimes.Select(r => r.Name));
        Assert.Equal("/etc/containerd/extra.toml", snapshot.Runtimes[0].SourceFile);
        Assert.Equal(["/etc/containerd/config.toml", "/etc/containerd/extra.toml"], snapshot.FilesRead);
    }

    [Fact]
    public void A_missing_import_is_an_error_naming_it()
    {
        var snapshot = ReadMain("version = 2\nimports = [\"/etc/containerd/gone.toml\"]\n");

        Assert.Equal(ContainerdConfigStatus.Invalid, snapshot.Status);
        Assert.Contains("import /etc/containerd/gone.toml: not found", snapshot.Error, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Shim_found_only_when_executable()
    {
        Write(MainConfig, """
            version = 2
            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.sealpod]
              runtime_type = "io.containerd.sealpod.v2"
              pod_annotations = ["io.katacontainers.*"]
            """);
        Write("/opt/bin/containerd-shim-sealpod-v2", "#!/bin/sh\n");
        var context = new CheckContext(Probe, config: null, searchPath: "/opt/bin");

        var shim = (await new ContainerdChecks().RunAsync(context)).Single(r => r.Id == CheckIds.ContainerdShim);
        Assert.Equal(CheckStatus.Fail, shim.Status);
        Assert.Equal("present but not executable", shim.EvidenceValue("/opt/bin/containerd-shim-sealpod-v2"));

        File.SetUnixFileMode(Path.Join(_root.FullName, "/opt/bin/containerd-shim-sealpod-v2"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        shim = (await new ContainerdChecks().RunAsync(context)).Single(r => r.Id == CheckIds.ContainerdShim);
        Assert.Equal(CheckStatus.Pass, shim.Status);
        Assert.Equal("/opt/bin/containerd-shim-sealpod-v2", shim.Summary);

        // No ConfigPath: the shim falls back to its search order, worth a warning.
        var configPath = (await new ContainerdChecks().RunAsync(context)).Single(r => r.Id == CheckIds.ContainerdConfigPath);
        Assert.Equal(CheckStatus.Warn, configPath.Status);
    }
}
