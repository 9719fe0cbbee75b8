namespace Sealpod.HostCheck.Tests;

/// <summary><c>sealpod env</c>: effective configuration after drop-ins, versions and guest protections.</summary>
public sealed class EnvTests
{
    [Fact]
    public async Task Env_json_reports_versions_protections_and_the_configuration()
    {
        var root = await CliRun.JsonAsync("snp", SealpodCli.ExitOk, "env", "--json", "--config", FixturePaths.Config("configuration-qemu-snp.toml"));

        Assert.Equal("sealpod-env/v1", root.GetProperty("schema").GetString());

        var host = root.GetProperty("host");
        Assert.Equal("snp", host.GetProperty("guestProtection").GetString());
        Assert.Equal(["snp", "sev-es", "sev"], host.GetProperty("guestProtections").EnumerateArray().Select(e => e.GetString()));
        Assert.True(host.GetProperty("kvmUsable").GetBoolean());

        var versions = root.GetProperty("versions");
        Assert.Equal("6.11.0-snp-host", versions.GetProperty("kernel").GetProperty("version").GetString());
        Assert.Equal("QEMU emulator version 9.2.0", versions.GetProperty("hypervisor").GetProperty("version").GetString());
        Assert.Equal("/usr/bin/qemu-system-x86_64 --version", versions.GetProperty("hypervisor").GetProperty("source").GetString());
        Assert.Equal("containerd github.com/containerd/containerd v1.7.24 88bf19b2", versions.GetProperty("containerd").GetProperty("version").GetString());
        Assert.Equal("1.55 build 21", versions.GetProperty("sev-firmware").GetProperty("version").GetString());

        var config = root.GetProperty("config");
        Assert.Equal("snp", config.GetProperty("tee").GetString());
        Assert.Equal(0, config.GetProperty("dropIns").GetArrayLength());
        var effective = config.GetProperty("effective");
        Assert.Equal("true", effective.GetProperty("hypervisor.qemu.sev_snp_guest").GetString());
        Assert.Equal("\"/usr/share/ovmf/AMDSEV.fd\"", effective.GetProperty("hypervisor.qemu.firmware").GetString());
        Assert.Equal("90", effective.GetProperty("agent.kata.dial_timeout").GetString());
    }

    [Fact]
    public async Task Env_shows_drop_ins_and_their_values_win()
    {
        var root = await CliRun.JsonAsync("pvm", SealpodCli.ExitOk, "env", "--json", "--config", FixturePaths.Config("dropin/configuration-qemu-coco-dev.toml"));

        var config = root.GetProperty("config");
        Assert.Equal([FixturePaths.Config("dropin/config.d/10-size.toml")], config.GetProperty("dropIns").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("4096", config.GetProperty("effective").GetProperty("hypervisor.qemu.default_memory").GetString());
        Assert.Equal("2", config.GetProperty("effective").GetProperty("hypervisor.qemu.default_vcpus").GetString());
        Assert.Equal("none", config.GetProperty("tee").GetString());

        var host = root.GetProperty("host");
        Assert.Equal("none", host.GetProperty("guestProtection").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("versions").GetProperty("sev-firmware").GetProperty("version").ValueKind);
        Assert.Equal("/dev/sev (absent)", root.GetProperty("versions").GetProperty("sev-firmware").GetProperty("source").GetString());
    }

    [Fact]
    public async Task Env_text_and_an_invalid_configuration()
    {
        var path = FixturePaths.Config("broken/configuration-qemu-broken.toml");
        var run = await CliRun.RunAsync("tdx", "env", "--config", path);

        Assert.Equal(SealpodCli.ExitFailed, run.ExitCode);
        Assert.Contains("  guest protection = tdx", run.Out, StringComparison.Ordinal);
        Assert.Contains($"  file = {path} (invalid)", run.Out, StringComparison.Ordinal);
        Assert.Contains($"  error: {path}:4:18: hypervisor.qemu.default_memory:", run.Out, StringComparison.Ordinal);
        Assert.Contains("  hypervisor   = QEMU emulator version 10.1.0", run.Out, StringComparison.Ordinal);
    }
}
