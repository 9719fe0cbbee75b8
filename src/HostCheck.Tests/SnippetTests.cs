using Sealpod.Config.Toml;
using Sealpod.HostCheck.Snippets;

namespace Sealpod.HostCheck.Tests;

/// <summary><c>sealpod containerd-config</c> and <c>sealpod runtimeclass</c>.</summary>
public sealed class SnippetTests
{
    [Theory]
    [InlineData("/usr/share/defaults/sealpod/configuration-qemu-snp.toml", "sealpod-qemu-snp")]
    [InlineData("configuration-clh-snp.toml", "sealpod-clh-snp")]
    [InlineData("/etc/sealpod/configuration.toml", "sealpod")]
    [InlineData("configuration-qemu-coco-dev.toml", "sealpod-qemu-coco-dev")]
    [InlineData("My_Custom.Config.toml", "sealpod-my-custom-config")]
    public void Runtime_class_name_follows_kata_naming(string file, string expected) =>
        Assert.Equal(expected, RuntimeClassName.FromConfigFile(file));

    [Theory]
    [InlineData(2048, 1, "2208Mi", "1250m")]
    [InlineData(4096, 2, "4256Mi", "2250m")]
    [InlineData(2048, 1.5, "2208Mi", "2250m")]
    [InlineData(2048, -1, "2208Mi", "250m")]
    public void Overhead_is_the_sandbox_plus_the_host_side_budget(int memory, double vcpus, string expectedMemory, string expectedCpu)
    {
        var overhead = PodOverhead.For(memory, vcpus);
        Assert.Equal(expectedMemory, overhead.Memory);
        Assert.Equal(expectedCpu, overhead.Cpu);
    }

    [Theory]
    [InlineData(2, "io.containerd.grpc.v1.cri")]
    [InlineData(3, "io.containerd.cri.v1.runtime")]
    public async Task Containerd_snippet_round_trips_through_the_checks(int version, string plugin)
    {
        var configFile = FixturePaths.Config("configuration-qemu-snp.toml");
        var run = await CliRun.RunAsync("snp", "containerd-config", "--config", configFile, "--containerd-version", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(SealpodCli.ExitOk, run.ExitCode);
        Assert.Contains($"[plugins.\"{plugin}\".containerd.runtimes.sealpod-qemu-snp]", run.Out, StringComparison.Ordinal);

        // Paste the snippet into a containerd config and check it: the runtime, its ConfigPath and its annotations pass.
        var root = Directory.CreateTempSubdirectory("sealpod-snippet-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "etc/containerd"));
            await File.WriteAllTextAsync(Path.Combine(root.FullName, "etc/containerd/config.toml"), $"version = {version}\n\n{run.Out}");
            var snapshot = new ContainerdConfigReader(new LinuxHostProbe(root.FullName)).Read("/etc/containerd/config.toml");

            Assert.Equal(ContainerdConfigStatus.Ok, snapshot.Status);
            var runtime = Assert.Single(snapshot.Runtimes);
            Assert.Equal("sealpod-qemu-snp", runtime.Name);
            Assert.Equal(ContainerdConfigReader.SealpodRuntimeType, runtime.RuntimeType);
            Assert.Equal(configFile, runtime.ConfigPath);
            Assert.Equal(["io.katacontainers.*"], runtime.PodAnnotations);
            Assert.True(runtime.PrivilegedWithoutHostDevices);

            var context = new CheckContext(new LinuxHostProbe(root.FullName), config: null, searchPath: "");
            var results = await new ContainerdChecks().RunAsync(context);
            Assert.Equal(CheckStatus.Pass, results.Single(r => r.Id == CheckIds.ContainerdRuntime).Status);
            Assert.Equal(CheckStatus.Pass, results.Single(r => r.Id == CheckIds.ContainerdPodAnnotations).Status);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Guest_pull_adds_the_snapshotter_proxy_plugin_and_cris_snapshotter_settings()
    {
        var configFile = FixturePaths.Config("configuration-qemu-snp.toml");
        var run = await CliRun.RunAsync("snp", "containerd-config", "--config", configFile, "--guest-pull", "--snapshotter-address", "/run/sp/s.sock");

        Assert.Equal(SealpodCli.ExitOk, run.ExitCode);
        var document = TomlReader.Parse(run.Out, "snippet");
        var proxy = (TomlTable)((TomlTable)document["proxy_plugins"])["sealpod"];
        Assert.Equal("snapshot", ((TomlString)proxy["type"]).Value);
        Assert.Equal("/run/sp/s.sock", ((TomlString)proxy["address"]).Value);
        var cri = (TomlTable)((TomlTable)((TomlTable)document["plugins"])["io.containerd.grpc.v1.cri"])["containerd"];
        Assert.Equal("sealpod", ((TomlString)cri["snapshotter"]).Value);
        Assert.False(((TomlBoolean)cri["disable_snapshot_annotations"]).Value);
        Assert.Contains("sealpod-qemu-snp", ((TomlTable)cri["runtimes"]).Keys);
    }

    [Fact]
    public async Task Guest_pull_for_containerd_2_names_the_snapshotter_per_runtime()
    {
        var configFile = FixturePaths.Config("configuration-qemu-snp.toml");
        var run = await CliRun.RunAsync("snp", "containerd-config", "--config", configFile, "--guest-pull", "--containerd-version", "3");

        Assert.Equal(SealpodCli.ExitOk, run.ExitCode);
        var plugins = (TomlTable)TomlReader.Parse(run.Out, "snippet")["plugins"];
        var runtime = (TomlTable)((TomlTable)((TomlTable)((TomlTable)plugins["io.containerd.cri.v1.runtime"])["containerd"])["runtimes"])["sealpod-qemu-snp"];
        Assert.Equal("sealpod", ((TomlString)runtime["snapshotter"]).Value);
        Assert.False(((TomlBoolean)((TomlTable)plugins["io.containerd.cri.v1.images"])["disable_snapshot_annotations"]).Value);
        Assert.Contains($"address = \"{SnapshotterSnippet.DefaultAddress}\"", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_guest_pull_nothing_of_the_snapshotter_is_printed()
    {
        var run = await CliRun.RunAsync("snp", "containerd-config", "--config", FixturePaths.Config("configuration-qemu-snp.toml"));

        Assert.DoesNotContain("proxy_plugins", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("snapshotter", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Containerd_snippets_cover_every_configuration_of_the_directory()
    {
        var run = await CliRun.RunAsync("snp", "containerd-config");

        Assert.Equal(SealpodCli.ExitOk, run.ExitCode);
        var document = TomlReader.Parse(run.Out, "snippet");
        var runtimes = (TomlTable)((TomlTable)((TomlTable)((TomlTable)document["plugins"])["io.containerd.grpc.v1.cri"])["containerd"])["runtimes"];
        Assert.Equal(["sealpod-qemu-coco-dev", "sealpod-qemu-se", "sealpod-qemu-sev", "sealpod-qemu-snp", "sealpod-qemu-tdx"], runtimes.Keys);
        var tdx = (TomlTable)runtimes["sealpod-qemu-tdx"];
        Assert.Equal(FixturePaths.Config("configuration-qemu-tdx.toml"), ((TomlString)((TomlTable)tdx["options"])["ConfigPath"]).Value);
    }

    [Fact]
    public async Task Install_dir_names_where_the_configuration_will_be_installed()
    {
        var run = await CliRun.RunAsync("snp", "containerd-config", "--configs-dir", Path.Combine(FixturePaths.Directory, "configs"),
            "--install-dir", "/usr/share/defaults/sealpod");

        Assert.Equal(SealpodCli.ExitOk, run.ExitCode);
        Assert.Contains("    ConfigPath = \"/usr/share/defaults/sealpod/configuration-qemu-snp.toml\"\n", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(FixturePaths.Directory, run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runtime_class_for_snp_has_overhead_and_tee_selector()
    {
        var configFile = FixturePaths.Config("configuration-qemu-snp.toml");
        var run = await CliRun.RunAsync("snp", "runtimeclass", "--config", configFile);

        Assert.Equal(SealpodCli.ExitOk, run.ExitCode);
        var manifest = string.Join('\n', run.Out.Split('\n').Where(l => !l.StartsWith('#')));
        Assert.Equal(
            """
            ---
            kind: RuntimeClass
            apiVersion: node.k8s.io/v1
            metadata:
              name: sealpod-qemu-snp
            handler: sealpod-qemu-snp
            overhead:
              podFixed:
                memory: "2208Mi"
                cpu: "1250m"
            scheduling:
              nodeSelector:
                sealpod.io/runtime: "true"
                sealpod.io/tee-snp: "true"

            """,
            manifest);
        Assert.Contains("# label the nodes that pass 'sealpod check --config " + configFile + "': kubectl label node <node> sealpod.io/runtime=true sealpod.io/tee-snp=true", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runtime_class_uses_the_size_after_drop_ins_and_no_tee_label_without_a_tee()
    {
        var run = await CliRun.RunAsync("snp", "runtimeclass", "--config", FixturePaths.Config("dropin/configuration-qemu-coco-dev.toml"));

        Assert.Equal(SealpodCli.ExitOk, run.ExitCode);
        Assert.Contains("    memory: \"4256Mi\"\n    cpu: \"2250m\"\n", run.Out, StringComparison.Ordinal);
        Assert.Contains("    sealpod.io/runtime: \"true\"\n", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("sealpod.io/tee-", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snippet_for_an_unusable_configuration_fails_and_names_the_errors()
    {
        var broken = FixturePaths.Config("broken/configuration-qemu-broken.toml");
        var run = await CliRun.RunAsync("snp", "runtimeclass", "--config", FixturePaths.Config("configuration-qemu-tdx.toml"), "--config", broken);

        Assert.Equal(SealpodCli.ExitFailed, run.ExitCode);
        Assert.Contains("name: sealpod-qemu-tdx", run.Out, StringComparison.Ordinal);
        Assert.StartsWith($"sealpod: {broken}: cannot be used:", run.Error, StringComparison.Ordinal);
        Assert.Contains("hypervisor.qemu.shared_fs", run.Error, StringComparison.Ordinal);
    }
}
