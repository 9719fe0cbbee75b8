using Sealpod.HostCheck.Output;

namespace Sealpod.HostCheck.Tests;

/// <summary>The --json report: the shape docs/sealpod-check.md documents, and the values of the report it renders.</summary>
public sealed class CheckReportJsonTests
{
    private static readonly string[] s_statuses = ["PASS", "WARN", "FAIL", "SKIP"];

    [Fact]
    public async Task Json_has_the_documented_shape_and_the_report_values()
    {
        var report = await HostRun.CheckAsync("sev-disabled", "configuration-qemu-snp.toml");

        using var document = JsonDocument.Parse(CheckReportJson.ToJson(report));
        var root = document.RootElement;
        Assert.Equal(
            ["schema", "ready", "exitCode", "host", "config", "containerdConfig", "summary", "checks"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("sealpod-check/v1", root.GetProperty("schema").GetString());
        Assert.False(root.GetProperty("ready").GetBoolean());
        Assert.Equal(1, root.GetProperty("exitCode").GetInt32());

        var host = root.GetProperty("host");
        Assert.Equal("6.8.0-31-generic", host.GetProperty("kernel").GetString());
        Assert.Equal("x86_64", host.GetProperty("architecture").GetString());
        Assert.Equal("AuthenticAMD", host.GetProperty("cpuVendor").GetString());
        Assert.Equal("AMD EPYC 7543 32-Core Processor", host.GetProperty("cpuModel").GetString());
        Assert.Equal(["none"], host.GetProperty("guestProtections").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(FixturePaths.Config("configuration-qemu-snp.toml"), root.GetProperty("config").GetString());
        Assert.Equal("/etc/containerd/config.toml", root.GetProperty("containerdConfig").GetString());

        var checks = root.GetProperty("checks").EnumerateArray().ToArray();
        Assert.Equal(CheckIds.All.Select(e => e.Key), checks.Select(c => c.GetProperty("id").GetString()));
        foreach (var check in checks)
        {
            Assert.Equal(["id", "title", "status", "summary", "evidence", "remedy"], check.EnumerateObject().Select(p => p.Name));
            var status = check.GetProperty("status").GetString();
            Assert.Contains(status, s_statuses);
            Assert.Equal(CheckIds.Title(check.GetProperty("id").GetString()!), check.GetProperty("title").GetString());
            Assert.False(string.IsNullOrWhiteSpace(check.GetProperty("summary").GetString()));
            foreach (var evidence in check.GetProperty("evidence").EnumerateArray())
            {
                Assert.Equal(["source", "value"], evidence.EnumerateObject().Select(p => p.Name));
            }

            // WARN and FAIL always say what to do; PASS and SKIP never carry a remedy.
            var remedy = check.GetProperty("remedy");
            Assert.Equal(status is "WARN" or "FAIL" ? JsonValueKind.String : JsonValueKind.Null, remedy.ValueKind);
        }

        var summary = root.GetProperty("summary");
        Assert.Equal(["pass", "warn", "fail", "skip"], summary.EnumerateObject().Select(p => p.Name));
        foreach (var status in s_statuses)
        {
            Assert.Equal(checks.Count(c => c.GetProperty("status").GetString() == status), summary.GetProperty(status.ToLowerInvariant()).GetInt32());
        }

        var snp = checks.Single(c => c.GetProperty("id").GetString() == CheckIds.AmdSevSnp);
        Assert.Equal("FAIL", snp.GetProperty("status").GetString());
        Assert.Contains(snp.GetProperty("evidence").EnumerateArray(), e =>
            e.GetProperty("source").GetString() == "/sys/module/kvm_amd/parameters/sev_snp" && e.GetProperty("value").GetString() == "<not found>");
    }

    [Fact]
    public async Task Json_config_is_null_without_a_configuration_and_a_ready_host_exits_zero()
    {
        var report = await HostRun.CheckAsync("snp");

        using var document = JsonDocument.Parse(CheckReportJson.ToJson(report));
        var root = document.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("config").ValueKind);
        Assert.True(root.GetProperty("ready").GetBoolean());
        Assert.Equal(0, root.GetProperty("exitCode").GetInt32());
        Assert.Equal(["snp", "sev-es", "sev"], root.GetProperty("host").GetProperty("guestProtections").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Json_escapes_quotes_in_evidence()
    {
        var report = await HostRun.CheckAsync("pvm");

        using var document = JsonDocument.Parse(CheckReportJson.ToJson(report));
        var backend = document.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == CheckIds.KvmBackend);
        Assert.Contains(backend.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("value").GetString() == "signature \"KVMKVMKVM\"");
    }
}
