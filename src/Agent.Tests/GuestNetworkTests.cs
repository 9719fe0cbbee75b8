using System.Text.Json;
using Sealpod.Agent.Network;
using Sealpod.Linux.Netlink;
using Types = Sealpod.Protos.Kata.Types;

namespace Sealpod.Agent.Tests;

/// <summary>
/// UpdateInterface, UpdateRoutes and AddARPNeighbors from their Kata messages to the kernel: each test runs the
/// agent's code inside a namespace of its own with a veth link and checks the result with <c>ip -j</c>.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Root)]
public sealed class GuestNetworkTests
{
    private const string Mac = "02:5e:a1:00:00:07";

    [Fact]
    public async Task UpdateInterface_finds_the_link_by_MAC_renames_it_sets_MTU_replaces_addresses_v4_and_v6_and_brings_it_up()
    {
        await using var space = await ReapedNamespace.CreateAsync();
        await AddVethAsync(space, "tap0_kata", Mac);
        await space.IpAsync("addr", "add", "192.168.77.5/24", "dev", "tap0_kata");

        await RunInAsync(space, network => network.UpdateInterface(NetworkTranslation.ToDomain(Interface("eth3", 1400, ("10.20.0.2", "24"), ("fd20::2", "64")))));

        var link = (await IpJsonAsync(space, "addr", "show", "dev", "eth3"))[0];
        Assert.Equal(Mac, link.GetProperty("address").GetString());
        Assert.Equal(1400, link.GetProperty("mtu").GetInt32());
        Assert.Contains("UP", link.GetProperty("flags").EnumerateArray().Select(flag => flag.GetString()));
        var addresses = link.GetProperty("addr_info").EnumerateArray()
            .Where(address => address.GetProperty("scope").GetString() == "global")
            .Select(address => $"{address.GetProperty("local").GetString()}/{address.GetProperty("prefixlen").GetInt32()}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(["10.20.0.2/24", "fd20::2/64"], addresses);
    }

    [Fact]
    public async Task UpdateInterface_with_an_unknown_MAC_is_NotFound_naming_the_hwAddr()
    {
        await using var space = await ReapedNamespace.CreateAsync();
        await AddVethAsync(space, "eth0", Mac);

        var error = await Assert.ThrowsAsync<NotFoundException>(() =>
            RunInAsync(space, network => network.UpdateInterface(NetworkTranslation.ToDomain(new Types.Interface { HwAddr = "02:00:00:00:00:99", Name = "eth0" }))));

        Assert.Equal("UpdateInterface: no guest link has the hwAddr 02:00:00:00:00:99", error.Message);
    }

    [Fact]
    public async Task UpdateRoutes_replaces_the_static_routes_keeps_the_kernel_ones_and_adds_v4_and_v6_with_gateway_scope_and_source()
    {
        await using var space = await ReapedNamespace.CreateAsync();
        await AddVethAsync(space, "eth0", Mac);
        await RunInAsync(space, network => network.UpdateInterface(NetworkTranslation.ToDomain(Interface("eth0", 0, ("10.20.0.2", "24"), ("fd20::2", "64")))));
        await space.IpAsync("route", "add", "10.99.0.0/16", "via", "10.20.0.254");

        var routes = new[]
        {
            new Types.Route { Dest = "", Gateway = "10.20.0.1", Device = "eth0" },
            new Types.Route { Dest = "10.30.0.0/16", Device = "eth0", Scope = 253, Source = "10.20.0.2" },
            new Types.Route { Dest = "default", Gateway = "fd20::1", Device = "eth0", Family = Types.IPFamily.V6 },
        };
        await RunInAsync(space, network => network.UpdateRoutes(NetworkTranslation.ToDomain(routes)));

        var v4 = (await IpJsonAsync(space, "-4", "route", "show")).EnumerateArray().Select(Describe).ToList();
        Assert.Contains("default via 10.20.0.1 dev eth0 scope global", v4);
        Assert.Contains("10.30.0.0/16 dev eth0 scope link src 10.20.0.2", v4);
        Assert.Contains("10.20.0.0/24 dev eth0 scope link src 10.20.0.2", v4);
        Assert.DoesNotContain(v4, route => route.StartsWith("10.99.0.0/16", StringComparison.Ordinal));
        Assert.Contains("default via fd20::1 dev eth0 scope global", (await IpJsonAsync(space, "-6", "route", "show")).EnumerateArray().Select(Describe));
    }

    [Fact]
    public async Task UpdateRoutes_naming_an_unknown_device_fails_before_removing_anything()
    {
        await using var space = await ReapedNamespace.CreateAsync();
        await AddVethAsync(space, "eth0", Mac);
        await space.IpAsync("link", "set", "eth0", "up");
        await space.IpAsync("addr", "add", "10.20.0.2/24", "dev", "eth0");
        await space.IpAsync("route", "add", "10.99.0.0/16", "via", "10.20.0.254");

        var error = await Assert.ThrowsAsync<NotFoundException>(() => RunInAsync(space, network =>
            network.UpdateRoutes(NetworkTranslation.ToDomain([new Types.Route { Dest = "10.1.0.0/16", Device = "eth9" }]))));

        Assert.Equal("UpdateRoutes: routes.Routes[0].device: no guest link is named 'eth9'", error.Message);
        Assert.Contains((await IpJsonAsync(space, "-4", "route", "show")).EnumerateArray(), route => route.GetProperty("dst").GetString() == "10.99.0.0/16");
    }

    [Fact]
    public async Task AddARPNeighbors_adds_permanent_v4_and_v6_neighbours()
    {
        await using var space = await ReapedNamespace.CreateAsync();
        await AddVethAsync(space, "eth0", Mac);
        await space.IpAsync("link", "set", "eth0", "up");

        var neighbours = new[]
        {
            new Types.ARPNeighbor { ToIPAddress = new Types.IPAddress { Address = "10.20.0.9" }, Device = "eth0", Lladdr = "02:00:00:00:00:09", State = 0x80 },
            new Types.ARPNeighbor { ToIPAddress = new Types.IPAddress { Address = "fd20::9", Family = Types.IPFamily.V6 }, Device = "eth0", Lladdr = "02:00:00:00:00:0a" },
        };
        await RunInAsync(space, network => network.AddNeighbours(NetworkTranslation.ToDomain(neighbours)));

        var found = (await IpJsonAsync(space, "neigh", "show", "dev", "eth0")).EnumerateArray()
            .Select(entry => $"{entry.GetProperty("dst").GetString()} {entry.GetProperty("lladdr").GetString()} {string.Join(',', entry.GetProperty("state").EnumerateArray().Select(state => state.GetString()))}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(["10.20.0.9 02:00:00:00:00:09 PERMANENT", "fd20::9 02:00:00:00:00:0a PERMANENT"], found);
    }

    private static Types.Interface Interface(string name, ulong mtu, params (string Address, string Mask)[] addresses)
    {
        var wire = new Types.Interface { Name = name, Mtu = mtu, HwAddr = Mac };
        foreach (var (address, mask) in addresses)
        {
            wire.IPAddresses.Add(new Types.IPAddress { Address = address, Mask = mask, Family = address.Contains(':', StringComparison.Ordinal) ? Types.IPFamily.V6 : Types.IPFamily.V4 });
        }

        return wire;
    }

    private static string Describe(JsonElement route) =>
        route.GetProperty("dst").GetString()
        + (route.TryGetProperty("gateway", out var gateway) ? $" via {gateway.GetString()}" : "")
        + $" dev {route.GetProperty("dev").GetString()}"
        + $" scope {(route.TryGetProperty("scope", out var scope) ? scope.GetString() : "global")}"
        + (route.TryGetProperty("prefsrc", out var source) ? $" src {source.GetString()}" : "");

    private static async Task AddVethAsync(ReapedNamespace space, string link, string mac)
    {
        await space.IpAsync("link", "add", link, "address", mac, "type", "veth", "peer", "name", link + "p");
        await space.IpAsync("link", "set", link + "p", "up");
    }

    private static async Task<JsonElement> IpJsonAsync(ReapedNamespace space, params string[] arguments)
    {
        using var document = JsonDocument.Parse(await space.IpAsync(["-j", .. arguments]));
        return document.RootElement.Clone();
    }

    private static Task RunInAsync(ReapedNamespace space, Action<GuestNetwork> work) =>
        NetworkNamespace.RunAsync(space.Path, () => work(new GuestNetwork()));
}
