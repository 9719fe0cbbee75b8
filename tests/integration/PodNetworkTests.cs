namespace Sealpod.IntegrationTests;

/// <summary>
/// The pod network end to end: a pod namespace as CNI would leave it (a veth with an IPv4 and an IPv6 address, a
/// default route, a static neighbour; its peer in a second namespace standing in for the node), a sealpod container
/// run in it with <c>ctr run --with-ns network:PATH</c> serving HTTP from the guest, fetched from the peer namespace
/// at the pod IP. Every address lives in the two test namespaces; the host's network is never touched.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Root)]
public sealed class PodNetworkTests(PrivateContainerd containerd) : IClassFixture<PrivateContainerd>
{
    [Fact]
    public async Task A_guest_httpd_answers_at_the_pod_ip_and_delete_leaves_no_tap_filter_qdisc_or_qemu()
    {
        using var namespaces = new VethNamespaces(n =>
        {
            n.Pod.IpIn("addr", "add", "10.99.0.2/24", "dev", "eth0");
            n.Pod.IpIn("addr", "add", "fd00:99::2/64", "dev", "eth0", "nodad");
            n.Pod.IpIn("route", "add", "default", "via", "10.99.0.1", "dev", "eth0");
            n.Pod.IpIn("neigh", "add", "10.99.0.1", "lladdr", "02:42:ac:11:00:01", "dev", "eth0", "nud", "permanent");
            n.Outside.IpIn("link", "set", "peer0", "address", "02:42:ac:11:00:01");
            n.Outside.IpIn("addr", "add", "10.99.0.1/24", "dev", "peer0");
            n.Outside.IpIn("link", "set", "peer0", "up");
        });
        const string id = "web1";
        var script = "mkdir -p /tmp/www && echo page-from-the-guest > /tmp/www/index.html && ip -o addr show eth0 > /tmp/www/addr.txt; exec httpd -f -p 8080 -h /tmp/www";

        var run = await containerd.Run(["-d", "--with-ns", $"network:{namespaces.Pod.Path}"], id, ["sh", "-c", script]);
        try
        {
            Assert.True(run.ExitCode == 0, run + containerd.ContainerdLog());
            Assert.Contains("tap0_kata", namespaces.Pod.IpIn("-o", "link", "show"));
            Assert.Contains("mirred (Egress Redirect to device tap0_kata)", namespaces.Pod.Tc("filter", "show", "dev", "eth0", "ingress"));

            var page = await FetchAsync(namespaces.Outside, "http://10.99.0.2:8080/index.html");
            Assert.Equal("page-from-the-guest\n", page);

            // The guest's eth0 got the pod's addresses (IPv6 included) from UpdateInterface.
            var addresses = await FetchAsync(namespaces.Outside, "http://10.99.0.2:8080/addr.txt");
            Assert.Contains("10.99.0.2/24", addresses, StringComparison.Ordinal);
            Assert.Contains("fd00:99::2/64", addresses, StringComparison.Ordinal);
        }
        finally
        {
            await containerd.Ctr(["task", "kill", "-s", "SIGKILL", id]);
            await containerd.WaitForStatusAsync(id, "STOPPED", TimeSpan.FromSeconds(60), throwOnTimeout: false);
            await containerd.Ctr(["task", "delete", id]);
            await containerd.Ctr(["container", "delete", id]);
        }

        await AssertUnwiredAsync(namespaces, id);
    }

    [Fact]
    public async Task After_the_shim_is_killed_containerds_delete_removes_the_pod_networks_qdiscs_and_filters()
    {
        using var namespaces = new VethNamespaces(n => n.Pod.IpIn("addr", "add", "10.98.0.2/24", "dev", "eth0"));
        const string id = "netkill";
        var run = await containerd.Run(["-d", "--null-io", "--with-ns", $"network:{namespaces.Pod.Path}"], id, ["sleep", "1000"]);
        Assert.True(run.ExitCode == 0, run + containerd.ContainerdLog());
        Assert.Contains("ingress", namespaces.Pod.Tc("qdisc", "show", "dev", "eth0"));

        // SIGKILL: no teardown runs in the shim; containerd's `shim delete` must find the wiring from the record.
        await containerd.KillShimAsync(id);
        await containerd.RemoveContainerAsync(id);
        await AssertUnwiredAsync(namespaces, id);
    }

    [Fact]
    public async Task With_internetworking_model_none_the_vm_gets_no_nic_and_the_namespace_is_untouched()
    {
        using var namespaces = new VethNamespaces(n => n.Pod.IpIn("addr", "add", "10.97.0.2/24", "dev", "eth0"));
        var config = await containerd.StageConfigAsync("none-net.toml", "configuration-qemu-coco-dev.toml",
            text => text.Replace("internetworking_model = \"tcfilter\"", "internetworking_model = \"none\"", StringComparison.Ordinal));
        Assert.Contains("internetworking_model = \"none\"", File.ReadAllText(config), StringComparison.Ordinal);

        var run = await containerd.Run(["--rm", "--with-ns", $"network:{namespaces.Pod.Path}"], "nonet", ["sh", "-c", "ls /sys/class/net"], configPath: config);

        Assert.True(run.ExitCode == 0, run + containerd.ContainerdLog());
        Assert.Equal("lo", run.Text.Trim());
        Assert.DoesNotContain("ingress", namespaces.Pod.Tc("qdisc", "show", "dev", "eth0"));
        await containerd.AssertNothingLeftAsync("nonet");
    }

    // busybox wget from the peer namespace, retried while the guest's httpd comes up.
    // Nothing of the container is left, and the pod's namespace has no tap, no ingress qdisc and no filter any more.
    private async Task AssertUnwiredAsync(VethNamespaces namespaces, string id)
    {
        await containerd.AssertNothingLeftAsync(id);
        Assert.DoesNotContain("tap0_kata", namespaces.Pod.IpIn("-o", "link", "show"));
        Assert.DoesNotContain("ingress", namespaces.Pod.Tc("qdisc", "show", "dev", "eth0"));
        Assert.Empty(namespaces.Pod.Tc("filter", "show", "dev", "eth0", "ingress").Trim());
    }

    private static async Task<string> FetchAsync(TestNamespace from, string url)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        (int ExitCode, string Output) last;
        do
        {
            last = from.Exec("wget", "-q", "-T", "5", "-O", "-", url);
            if (last.ExitCode == 0)
            {
                return last.Output;
            }

            await Task.Delay(500);
        }
        while (DateTime.UtcNow < deadline);

        throw new Xunit.Sdk.XunitException($"GET {url} from {from.Name} failed: {last.Output}");
    }
}
