namespace Sealpod.CriHarness;

/// <summary>
/// The pod network: one conflist for Debian's containernetworking-plugins, bridge (with host-local addresses) then
/// portmap (hostPort). containerd's CRI adds lo itself through the loopback plugin from the same directory. The
/// bridge, its gateway and the pods' addresses exist only inside the harness's <see cref="IsolatedNetwork"/>, so the
/// subnet can never clash with the host's. host-local keeps its leases under <paramref name="IpamDirectory"/>.
/// </summary>
public sealed record CniNetworkConfig(string IpamDirectory)
{
    public const string NetworkName = "sealpod-cri";

    public const string Bridge = "spcri0";

    public const string Subnet = "10.88.0.0/24";

    /// <summary>The bridge's address: where the namespace's host side reaches hostPort mappings.</summary>
    public const string Gateway = "10.88.0.1";

    public string Render() => $$"""
        {
          "cniVersion": "1.0.0",
          "name": "{{NetworkName}}",
          "plugins": [
            {
              "type": "bridge",
              "bridge": "{{Bridge}}",
              "isGateway": true,
              "ipMasq": false,
              "hairpinMode": true,
              "ipam": {
                "type": "host-local",
                "dataDir": "{{IpamDirectory}}",
                "ranges": [[{ "subnet": "{{Subnet}}", "gateway": "{{Gateway}}" }]],
                "routes": [{ "dst": "0.0.0.0/0" }]
              }
            },
            {
              "type": "portmap",
              "capabilities": { "portMappings": true }
            }
          ]
        }
        """;
}
