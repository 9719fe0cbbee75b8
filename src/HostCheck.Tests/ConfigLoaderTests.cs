using Sealpod.Config;

namespace Sealpod.HostCheck.Tests;

/// <summary>Mapping the shim's configuration model onto what the checks need, including Kata's host-decided TEE.</summary>
public sealed class ConfigLoaderTests
{
    [Theory]
    [InlineData("configuration-qemu-snp.toml", GuestProtection.Snp)]
    [InlineData("configuration-qemu-tdx.toml", GuestProtection.Tdx)]
    [InlineData("configuration-qemu-se.toml", GuestProtection.Se)]
    [InlineData("configuration-qemu-sev.toml", GuestProtection.Sev)]
    [InlineData("configuration-qemu-coco-dev.toml", GuestProtection.None)]
    public async Task Tee_follows_the_configuration(string file, GuestProtection expected)
    {
        var outcome = await new SealpodConfigLoader().LoadAsync(FixturePaths.Config(file), host: null);

        Assert.NotNull(outcome.Facts);
        Assert.Equal(expected, outcome.Facts.Tee);
    }

    [Theory]
    [InlineData("tdx", GuestProtection.Tdx, null)]
    [InlineData("snp", GuestProtection.Sev, null)]
    [InlineData("se", GuestProtection.Sev, "hypervisor.qemu.machine_type: this host offers IBM Secure Execution, which needs machine_type = \"s390-ccw-virtio\"")]
    public void Bare_confidential_guest_is_decided_by_the_host_as_the_planner_does(string host, GuestProtection expected, string? refusal)
    {
        var configuration = ConfigurationLoader.LoadText("""
            [hypervisor.qemu]
            initrd = "/usr/share/sealpod/initrd.img"
            shared_fs = "none"
            confidential_guest = true
            firmware = "/usr/share/ovmf/OVMF.fd"
            """);

        Assert.Equal((expected, refusal), SealpodConfigLoader.DecideTee(configuration, HostFacts.Gather(new FixtureHostProbe(host))));
    }

    [Fact]
    public void Sev_policy_bit_2_selects_sev_es()
    {
        var configuration = ConfigurationLoader.LoadText("""
            [hypervisor.qemu]
            initrd = "/usr/share/sealpod/initrd.img"
            shared_fs = "none"
            confidential_guest = true
            sev_guest_policy = 7
            firmware = "/usr/share/ovmf/OVMF.fd"
            """);

        Assert.Equal(GuestProtection.SevEs, SealpodConfigLoader.ResolveTee(configuration));
    }

    [Fact]
    public async Task Facts_list_the_assets_with_their_keys()
    {
        var outcome = await new SealpodConfigLoader().LoadAsync(FixturePaths.Config("configuration-qemu-snp.toml"), host: null);
        var facts = outcome.Facts!;

        Assert.Equal("qemu", facts.Hypervisor);
        Assert.Equal(2048, facts.DefaultMemoryMiB);
        Assert.Equal(1, facts.DefaultVcpus);
        Assert.Equal(
            [
                (CheckIds.ConfigHypervisor, "hypervisor.qemu.path", "/usr/bin/qemu-system-x86_64"),
                (CheckIds.ConfigKernel, "hypervisor.qemu.kernel", "/usr/share/sealpod/vmlinuz-confidential.container"),
                (CheckIds.ConfigImage, "hypervisor.qemu.image", ""),
                (CheckIds.ConfigInitrd, "hypervisor.qemu.initrd", "/usr/share/sealpod/sealpod-initrd-confidential.img"),
                (CheckIds.ConfigFirmware, "hypervisor.qemu.firmware", "/usr/share/ovmf/AMDSEV.fd"),
                (CheckIds.ConfigCertChain, "hypervisor.qemu.snp_certs_path", "/opt/snp/cert_chain.cert"),
            ],
            facts.Assets.Select(a => (a.CheckId, a.Key, a.Path)));
        Assert.True(facts.Assets.Single(a => a.CheckId == CheckIds.ConfigFirmware).Required);
    }

    [Fact]
    public async Task Nothing_on_the_search_path_is_not_an_error()
    {
        var empty = Directory.CreateTempSubdirectory("sealpod-noconfig-");
        try
        {
            var loader = new SealpodConfigLoader(new ConfigurationLoaderOptions { FileSystemRoot = empty.FullName, GetEnvironmentVariable = _ => null });
            var outcome = await loader.LoadAsync(explicitPath: null, host: null);

            Assert.Null(outcome.Facts);
            Assert.Empty(outcome.Errors);
            Assert.Contains(outcome.Searched, s => s.Contains("/etc/sealpod/configuration.toml", StringComparison.Ordinal));
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }
}
