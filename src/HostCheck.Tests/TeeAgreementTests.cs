using Sealpod.Config;
using Sealpod.Tee.Host;
using Sealpod.Tee.Launch;

namespace Sealpod.HostCheck.Tests;

/// <summary>
/// Issue 9.5: <c>sealpod check</c> and the shim cannot disagree about the TEE. For every shipped configuration on every
/// fixture host, the check's TEE and its verdict are compared with the shim's real <see cref="TeePlanner"/> reading the
/// same host tree: a launch the planner plans passes the check with the same TEE, a launch it refuses fails it.
/// </summary>
public sealed class TeeAgreementTests
{
    public static TheoryData<string, string> ShippedConfigsOnFixtureHosts()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.GetFiles(Repository.Configs, "configuration-*.toml").Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            foreach (var host in new[] { "snp", "tdx", "se", "sev-disabled", "no-kvm", "pvm" })
            {
                data.Add(file!, host);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedConfigsOnFixtureHosts))]
    public async Task Check_and_planner_agree(string file, string host)
    {
        var probe = new FixtureHostProbe(host);
        var path = Path.Combine(Repository.Configs, file);
        var configuration = await new ConfigurationLoader().LoadFileAsync(path);
        var outcome = await new SealpodConfigLoader().LoadAsync(path, HostFacts.Gather(probe));
        var facts = outcome.Facts!;
        var report = await new HostChecker().RunAsync(new CheckContext(probe, outcome, containerdConfigPath: null, searchPath: HostRun.FixturePath));
        var teeHost = report.Get(CheckIds.ConfigTeeHost).Status;

        TeePlan? plan = null;
        Exception? refused = null;
        try
        {
            plan = new TeePlanner(new TeePlannerOptions { ProbeRoot = probe.Root, Cpuid = new ProbeCpuid(probe) }).Plan(configuration.Hypervisor);
        }
        catch (Exception e) when (e is TeeHostUnsupportedException or TeeConfigurationException)
        {
            refused = e;
        }

        if (plan is not null)
        {
            Assert.Equal(SealpodConfigLoader.ToGuestProtection(plan.Launch.Kind), facts.Tee);
            Assert.Null(facts.TeeRefusal);
            Assert.Contains(teeHost, new[] { CheckStatus.Pass, CheckStatus.Skip });
        }
        else
        {
            Assert.True(teeHost == CheckStatus.Fail, $"the planner refused ({refused!.Message}) but the check said {teeHost}");
        }
    }

    [Fact]
    public async Task A_tdx_configuration_on_an_sev_host_is_checked_as_the_sev_guest_the_shim_would_launch()
    {
        // TDX firmware and TDX keys do not make a TDX guest: the planner asks the host, as Kata does.
        var outcome = await new SealpodConfigLoader().LoadAsync(Path.Combine(Repository.Configs, "configuration-qemu-tdx.toml"), HostFacts.Gather(new FixtureHostProbe("snp")));

        Assert.Equal(GuestProtection.Sev, outcome.Facts!.Tee);
    }
}
