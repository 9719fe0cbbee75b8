namespace Sealpod.Runtime.Tests.Network;

/// <summary>
/// A sandbox's pod network against real namespaces (the pod's with a CNI-like veth, the peer in a second one): the
/// record written at attach, teardown twice over, and delete's cleanup from the record after a shim that died.
/// </summary>
[Trait("Category", "Root")]
public sealed class SandboxNetworkTests : IDisposable
{
    private readonly TempDirectory _directory = new("sp-net-");
    private readonly VethNamespaces _namespaces = new(n =>
    {
        n.Pod.IpIn("addr", "add", "10.78.0.2/24", "dev", "eth0");
        n.Pod.IpIn("route", "add", "default", "via", "10.78.0.1", "dev", "eth0");
    });

    private TestNamespace Pod => _namespaces.Pod;

    public void Dispose()
    {
        _namespaces.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task Attach_records_the_wiring_and_detach_removes_it_and_the_record_twice_over()
    {
        var network = await SandboxNetwork.AttachAsync(Pod.Path, InternetworkingModel.TcFilter, _directory.Path, CancellationToken.None);

        Assert.NotNull(network);
        Assert.Equal(new PodNetworkRecord(Pod.Path, [new TapPair("eth0", "tap0_kata")]).Pairs, PodNetworkRecord.Read(_directory.Path)!.Pairs);
        var nic = Assert.Single(network.Nics(new QemuConfig()));
        Assert.Equal(("net0", "tap0_kata", "02:42:ac:11:00:07", 1450, true), (nic.Id, nic.TapName, nic.MacText, nic.Mtu, nic.Vhost));
        Assert.False(Assert.Single(network.Nics(new QemuConfig { DisableVhostNet = true })).Vhost);
        Assert.Equal("eth0", Assert.Single(network.Plan.Interfaces).Name);

        await network.DetachAsync(CancellationToken.None);
        await network.DetachAsync(CancellationToken.None);

        Assert.Null(PodNetworkRecord.Read(_directory.Path));
        Assert.DoesNotContain("tap0_kata", Pod.IpIn("-o", "link", "show"));
        Assert.DoesNotContain("ingress", Pod.Tc("qdisc", "show", "dev", "eth0"));
        Assert.False(await SandboxNetwork.CleanupAsync(_directory.Path, CancellationToken.None));
    }

    [Fact]
    public async Task After_a_shim_that_died_the_record_is_enough_to_remove_the_qdiscs_and_filters()
    {
        var network = await SandboxNetwork.AttachAsync(Pod.Path, InternetworkingModel.TcFilter, _directory.Path, CancellationToken.None);

        // The shim's death closes its descriptors (and QEMU's went with QEMU): the taps go, the veth's qdisc stays.
        network!.ReleaseDescriptors();
        Assert.Contains("ingress", Pod.Tc("qdisc", "show", "dev", "eth0"));

        Assert.True(await SandboxNetwork.CleanupAsync(_directory.Path, CancellationToken.None));
        Assert.False(await SandboxNetwork.CleanupAsync(_directory.Path, CancellationToken.None));

        Assert.DoesNotContain("ingress", Pod.Tc("qdisc", "show", "dev", "eth0"));
        Assert.Empty(Pod.Tc("filter", "show", "dev", "eth0", "ingress").Trim());
        Assert.DoesNotContain("tap0_kata", Pod.IpIn("-o", "link", "show"));
    }

    [Fact]
    public async Task No_namespace_path_or_the_none_model_attaches_nothing()
    {
        Assert.Null(await SandboxNetwork.AttachAsync(null, InternetworkingModel.TcFilter, _directory.Path, CancellationToken.None));
        Assert.Null(await SandboxNetwork.AttachAsync(Pod.Path, InternetworkingModel.None, _directory.Path, CancellationToken.None));
        Assert.Null(PodNetworkRecord.Read(_directory.Path));
        Assert.DoesNotContain("ingress", Pod.Tc("qdisc", "show", "dev", "eth0"));
    }
}
