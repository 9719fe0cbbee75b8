namespace Sealpod.Agent.Tests;

/// <summary>
/// The spec's net.* sysctls, written by the agent into the guest's network namespace. The writes go to a directory
/// of the test's own laid out like /proc/sys (the host's network settings are never touched).
/// </summary>
public sealed class NetworkSysctlsTests : IDisposable
{
    private readonly string _procSys = Directory.CreateTempSubdirectory("sealpod-procsys-").FullName;

    [Fact]
    public void Network_sysctls_go_to_the_agent_and_the_others_stay_for_the_runtime()
    {
        var (runtime, agent) = NetworkSysctls.Split(new Dictionary<string, string>
        {
            ["kernel.shm_rmid_forced"] = "1",
            ["net.ipv4.ping_group_range"] = "0 2147483647",
            ["fs.mqueue.msg_max"] = "20",
            ["net.ipv4.ip_unprivileged_port_start"] = "80",
        });

        Assert.Equal(["fs.mqueue.msg_max", "kernel.shm_rmid_forced"], runtime!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(
            [new("net.ipv4.ip_unprivileged_port_start", "80"), new("net.ipv4.ping_group_range", "0 2147483647")],
            agent);
    }

    [Fact]
    public void A_spec_with_only_network_sysctls_leaves_the_runtime_none_and_one_without_is_unchanged()
    {
        var only = NetworkSysctls.Split(new Dictionary<string, string> { ["net.core.somaxconn"] = "1024" });
        Assert.Null(only.ForRuntime);
        Assert.Single(only.ForAgent);

        var ipc = new Dictionary<string, string> { ["kernel.msgmax"] = "9000" };
        var none = NetworkSysctls.Split(ipc);
        Assert.Same(ipc, none.ForRuntime);
        Assert.Empty(none.ForAgent);
        Assert.Empty(NetworkSysctls.Split(null).ForAgent);
    }

    [Fact]
    public void Values_are_written_to_the_files_the_keys_name_with_dots_or_slashes()
    {
        var port = Touch("net/ipv4/ip_unprivileged_port_start");
        var vlan = Touch("net/ipv4/conf/eth0.100/rp_filter");

        NetworkSysctls.Write([new("net.ipv4.ip_unprivileged_port_start", "80"), new("net/ipv4/conf/eth0.100/rp_filter", "2")], _procSys);

        Assert.Equal("80", File.ReadAllText(port));
        Assert.Equal("2", File.ReadAllText(vlan));
    }

    [Theory]
    [InlineData("net..ipv4")]
    [InlineData("net/../kernel/core_pattern")]
    [InlineData("net/./core/somaxconn")]
    [InlineData("net")]
    [InlineData("kernel.core_pattern")]
    public void A_key_that_would_leave_net_is_refused_before_anything_is_written(string key)
    {
        var first = Touch("net/core/somaxconn");
        Touch("kernel/core_pattern");

        var error = Assert.Throws<InvalidArgumentException>(() => NetworkSysctls.Write([new("net.core.somaxconn", "7"), new(key, "|/bin/sh")], _procSys));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, File.ReadAllText(first));
        Assert.Equal(string.Empty, File.ReadAllText(Path.Combine(_procSys, "kernel", "core_pattern")));
    }

    [Fact]
    public void A_sysctl_the_guest_kernel_lacks_is_named_in_the_error()
    {
        var error = Assert.Throws<InvalidArgumentException>(() => NetworkSysctls.Write([new("net.ipv4.no_such_knob", "1")], _procSys));

        Assert.Equal($"linux.sysctl: net.ipv4.no_such_knob: the guest kernel has no such network sysctl ({_procSys}/net/ipv4/no_such_knob does not exist)", error.Message);
    }

    public void Dispose() => Directory.Delete(_procSys, recursive: true);

    private string Touch(string relative)
    {
        var path = Path.Combine(_procSys, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Empty);
        return path;
    }
}
