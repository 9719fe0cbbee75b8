namespace Sealpod.Config.Tests;

/// <summary>Unknown keys warn (file:line of the key, with a hint); Kata-valid keys Sealpod does not use are kept silently.</summary>
public sealed class UnknownKeyTests
{
    [Fact]
    public void Misspelt_key_warns_with_did_you_mean_and_the_file_still_loads()
    {
        var config = Load.Text(Load.MinimalQemu + "default_memroy = 4096\n");

        var warning = Assert.Single(config.Warnings);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal("hypervisor.qemu.default_memroy", warning.Key);
        Assert.Equal("configuration.toml:4:1: hypervisor.qemu.default_memroy: unknown key, ignored (did you mean \"default_memory\"?)", warning.ToString());
        Assert.Equal(2048, config.Hypervisor.DefaultMemoryMiB);
    }

    [Fact]
    public void Unrelated_unknown_key_warns_without_a_hint()
    {
        Assert.Equal(
            ["configuration.toml:4:1: hypervisor.qemu.flux_capacitor: unknown key, ignored"],
            Load.Warnings(Load.MinimalQemu + "flux_capacitor = true\n"));
    }

    [Fact]
    public void Unknown_sections_and_agent_types_warn()
    {
        Assert.Equal(
        [
            "configuration.toml:1:2: runtme: unknown section, ignored (did you mean \"runtime\"?)",
            "configuration.toml:6:8: agent.katta: unknown agent type, ignored (the agent section is [agent.kata])",
        ],
            Load.Warnings("[runtme]\nenable_debug = true\n" + Load.MinimalQemu + "[agent.katta]\ndial_timeout = 5\n"));
    }

    [Fact]
    public void Key_of_the_other_hypervisor_kind_gets_a_pointed_warning()
    {
        Assert.Equal(
            ["configuration.toml:4:1: hypervisor.qemu.igvm: applies to [hypervisor.clh] only; ignored"],
            Load.Warnings(Load.MinimalQemu + "igvm = \"/opt/x.igvm\"\n"));
        Assert.Equal(
            ["configuration.toml:4:1: hypervisor.clh.machine_type: applies to [hypervisor.qemu] only; ignored"],
            Load.Warnings("[hypervisor.clh]\nimage = \"/i.img\"\nshared_fs = \"none\"\nmachine_type = \"q35\"\n"));
    }

    [Fact]
    public void Kata_valid_keys_Sealpod_does_not_use_are_kept_without_warnings()
    {
        var config = Load.Text(Load.MinimalQemu + """
            jailer_path = "/usr/bin/jailer"
            guest_pre_attestation_proxy = "localhost:50051"
            [agent.kata]
            dial_timeout_ms = 90000
            [runtime]
            name = "virt_container"

            """);

        Assert.Empty(config.Warnings);
        Assert.Equal(
            ["agent.kata.dial_timeout_ms", "hypervisor.qemu.guest_pre_attestation_proxy", "hypervisor.qemu.jailer_path", "runtime.name"],
            config.UnmodelledKeys.Keys.Order(StringComparer.Ordinal));
        var proxy = Assert.IsType<Sealpod.Config.Toml.TomlString>(config.UnmodelledKeys["hypervisor.qemu.guest_pre_attestation_proxy"]);
        Assert.Equal("localhost:50051", proxy.Value);
    }

    [Fact]
    public void Clamped_values_warn_like_Kata_clamps_them()
    {
        var config = Load.Text(Load.MinimalQemu + "default_bridges = 9\npcie_root_port = 20\n");

        Assert.Equal(5, config.Hypervisor.DefaultBridges);
        Assert.Equal(16, config.Hypervisor.PcieRootPort);
        Assert.Equal(
        [
            "configuration.toml:4:19: hypervisor.qemu.default_bridges: 9 is more than the 5 PCI bridges that can be cold-plugged; using 5",
            "configuration.toml:5:18: hypervisor.qemu.pcie_root_port: 20 is more than the maximum of 16 PCIe root ports; using 16",
        ], config.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void Warnings_travel_with_the_exception_when_there_are_errors_too()
    {
        var e = Load.Failing(Load.MinimalQemu + "default_memroy = 1\ndefault_memory = 1\n");

        Assert.Single(e.Errors);
        Assert.Equal("hypervisor.qemu.default_memroy", Assert.Single(e.Warnings).Key);
    }

    [Theory]
    [InlineData("default_memroy", "default_memory", 1)]
    [InlineData("dial_timeout", "dail_timeuot", 2)]
    [InlineData("memory_slot", "memory_slots", 1)]
    [InlineData("abc", "abc", 0)]
    [InlineData("kernel", "kenrel", 1)]
    public void Suggestion_distance_counts_edits_and_transpositions(string a, string b, int expected)
    {
        Assert.Equal(expected, KeySuggester.Distance(a, b));
    }
}
