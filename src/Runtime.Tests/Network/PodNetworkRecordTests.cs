namespace Sealpod.Runtime.Tests.Network;

/// <summary>The record delete reads after a killed shim, the namespace path and DNS lines from the OCI spec.</summary>
public sealed class PodNetworkRecordTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_record_reads_back_as_written_and_no_record_is_null()
    {
        Assert.Null(PodNetworkRecord.Read(_temp.Path));
        var record = new PodNetworkRecord("/var/run/netns/cni-1234", [new TapPair("eth0", "tap0_kata"), new TapPair("net1", "tap1_kata")]);

        record.Write(_temp.Path);
        var read = PodNetworkRecord.Read(_temp.Path);

        Assert.NotNull(read);
        Assert.Equal(record.NamespacePath, read.NamespacePath);
        Assert.Equal(record.Pairs, read.Pairs);
        Assert.Equal("netns /var/run/netns/cni-1234\npair eth0 tap0_kata\npair net1 tap1_kata\n", File.ReadAllText(PodNetworkRecord.PathIn(_temp.Path)));
    }

    [Fact]
    public void A_record_with_a_foreign_line_is_refused_naming_the_line()
    {
        _temp.Write(PodNetworkRecord.FileName, "netns /var/run/netns/x\ntap eth0\n");

        var error = Assert.Throws<InvalidDataException>(() => PodNetworkRecord.Read(_temp.Path));

        Assert.Contains("network:2: expected 'netns PATH' (first) or 'pair INTERFACE TAP', found 'tap eth0'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_network_namespace_path_comes_from_the_specs_network_entry()
    {
        Assert.Equal("/var/run/netns/cni-1", OciNetworkNamespace.PathOf(Bundle("""{"linux":{"namespaces":[{"type":"pid"},{"type":"network","path":"/var/run/netns/cni-1"}]}}""")));
        Assert.Null(OciNetworkNamespace.PathOf(Bundle("""{"linux":{"namespaces":[{"type":"network"}]}}""")));
        Assert.Null(OciNetworkNamespace.PathOf(Bundle("""{"linux":{}}""")));
        var error = Assert.Throws<Errors.InvalidArgumentException>(() => OciNetworkNamespace.PathOf(Bundle("""{"linux":{"namespaces":[{"type":"network","path":"netns/x"}]}}""")));
        Assert.Contains("linux.namespaces[type=network].path 'netns/x': expected an absolute path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_dns_lines_come_from_the_resolv_conf_mounted_at_etc_resolv_conf()
    {
        var resolv = _temp.Write("resolv.conf", "# written by CRI\nsearch default.svc.cluster.local svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n\nbogus line\n");
        var bundle = Bundle($$"""{"mounts":[{"destination":"/etc/hostname","source":"/x"},{"destination":"/etc/resolv.conf","source":"{{resolv}}","type":"bind"}]}""");

        Assert.Equal(["search default.svc.cluster.local svc.cluster.local", "nameserver 10.96.0.10", "options ndots:5"], PodDns.FromBundle(bundle));
        Assert.Empty(PodDns.FromBundle(Bundle("""{"mounts":[]}""")));
    }

    private OciBundle Bundle(string json) => OciBundle.Parse(_temp.Path, System.Text.Encoding.UTF8.GetBytes(json), "config.json");
}
