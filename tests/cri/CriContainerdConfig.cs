namespace Sealpod.CriHarness;

/// <summary>
/// containerd.toml for the harness's containerd: CRI on, everything under <paramref name="Root"/>, handlers runc and
/// sealpod, the locally built pause image as the sandbox image, Debian's CNI plugins with the harness's conflist.
/// </summary>
/// <param name="Root">containerd's root, state and socket go under it.</param>
/// <param name="SealpodConfig">The staged Sealpod configuration, the sealpod handler's options.ConfigPath.</param>
/// <param name="CniConfDirectory">Holds the one conflist (<see cref="CniNetworkConfig"/>).</param>
public sealed record CriContainerdConfig(string Root, string SealpodConfig, string CniConfDirectory)
{
    /// <summary>The pause image: busybox's sleep, built and imported by the harness (never pulled).</summary>
    public const string PauseImage = "localhost/sealpod-pause:1";

    /// <summary>
    /// A Sealpod snapshotter's socket: registered as the proxy plugin "sealpod", CRI's snapshotter, with the
    /// remote-snapshotter labels on (disable_snapshot_annotations = false). Null: overlayfs, as before.
    /// </summary>
    public string? SnapshotterAddress { get; init; }

    /// <summary>A registry (host:port, inside the harness's network namespace) CRI pulls from over plain HTTP.</summary>
    public string? PlainHttpRegistry { get; init; }

    /// <summary>
    /// Where containerd reaches <see cref="PlainHttpRegistry"/> (host:port), if not at that name: a registry the pods
    /// reach at the CNI bridge's address is reachable from containerd on loopback before the first pod made the bridge.
    /// </summary>
    public string? PlainHttpRegistryEndpoint { get; init; }

    /// <summary>More registries CRI pulls through a plain-HTTP mirror: name (host:port) to the mirror's host:port.</summary>
    public IReadOnlyDictionary<string, string> PlainHttpMirrors { get; init; } = new Dictionary<string, string>();

    /// <summary>CRI's sandbox image; the imported <see cref="PauseImage"/> unless a test serves its own from a registry.</summary>
    public string SandboxImage { get; init; } = PauseImage;

    public string Socket => Path.Combine(Root, "c.sock");

    public string StateDirectory => Path.Combine(Root, "state");

    public string RootDirectory => Path.Combine(Root, "root");

    public string Render() => $$"""
        # The CRI harness's private containerd (tests/cri/CriContainerdConfig.cs). Never the system's.
        version = 2
        root = "{{RootDirectory}}"
        state = "{{StateDirectory}}"
        oom_score = 0
        disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

        [grpc]
          address = "{{Socket}}"

        [ttrpc]
          address = "{{Socket}}.ttrpc"

        [metrics]
          address = ""

        [plugins."io.containerd.grpc.v1.cri"]
          # This machine refuses negative oom_score_adj writes (EIO); a kubelet's pods ask for them.
          restrict_oom_score_adj = true
          sandbox_image = "{{SandboxImage}}"
          # Pod network namespaces under containerd's state, not /var/run/netns: removed with it.
          netns_mounts_under_state_dir = true
          # In containerd's (the isolated) namespace, on loopback.
          stream_server_address = "127.0.0.1"
          stream_server_port = "0"
          enable_selinux = false
          disable_apparmor = true
          max_container_log_line_size = 16384

          [plugins."io.containerd.grpc.v1.cri".containerd]
            snapshotter = "{{(SnapshotterAddress is null ? "overlayfs" : "sealpod")}}"
            disable_snapshot_annotations = {{(SnapshotterAddress is null ? "true" : "false")}}
            default_runtime_name = "{{CriHandlers.Runc}}"

            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.{{CriHandlers.Runc}}]
              runtime_type = "io.containerd.runc.v2"

            [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.{{CriHandlers.Sealpod}}]
              runtime_type = "io.containerd.sealpod.v2"
              pod_annotations = ["io.katacontainers.*"]
              privileged_without_host_devices = true
              [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.{{CriHandlers.Sealpod}}.options]
                ConfigPath = "{{SealpodConfig}}"

          [plugins."io.containerd.grpc.v1.cri".cni]
            bin_dir = "/usr/lib/cni"
            conf_dir = "{{CniConfDirectory}}"
            max_conf_num = 1
        {{Extras()}}
        """;

    private string Extras()
    {
        var text = new System.Text.StringBuilder();
        if (SnapshotterAddress is not null)
        {
            text.Append($"\n[proxy_plugins.sealpod]\n  type = \"snapshot\"\n  address = \"{SnapshotterAddress}\"\n");
        }

        if (PlainHttpRegistry is not null)
        {
            text.Append($"\n[plugins.\"io.containerd.grpc.v1.cri\".registry.mirrors.\"{PlainHttpRegistry}\"]\n  endpoint = [\"http://{PlainHttpRegistryEndpoint ?? PlainHttpRegistry}\"]\n");
        }

        foreach (var (name, endpoint) in PlainHttpMirrors)
        {
            text.Append($"\n[plugins.\"io.containerd.grpc.v1.cri\".registry.mirrors.\"{name}\"]\n  endpoint = [\"http://{endpoint}\"]\n");
        }

        return text.ToString();
    }
}
