using System.Text.Json.Nodes;
using Sealpod.IntegrationTests.Containerd.Containers.V1;

namespace Sealpod.IntegrationTests;

/// <summary>
/// What a kubelet puts in a container's spec besides the process, seen from inside the guest: the sandbox's
/// /etc/hostname, /etc/hosts and /etc/resolv.conf (CRI binds them from the sandbox directory; the guest gets copies
/// through the agent's CopyFile, as Kata does without a shared filesystem), the spec's linux.sysctl, and its seccomp
/// profile, which the guest enforces unless <c>disable_guest_seccomp = true</c> (Kata's default, and the shipped one).
/// </summary>
public sealed class GuestConfigTests(PrivateContainerd containerd) : IClassFixture<PrivateContainerd>
{
    [Fact]
    public async Task The_sandbox_hostname_hosts_and_resolv_conf_bound_in_the_spec_are_the_containers_files()
    {
        // Laid out and mounted as containerd's CRI does for a pod: files of the sandbox directory, bound read-write.
        string sandbox = Directory.CreateDirectory(Path.Combine(containerd.Root, "cri-sandbox")).FullName;
        var files = new Dictionary<string, string>
        {
            ["hostname"] = "web-7d4b9c\n",
            ["hosts"] = "127.0.0.1\tlocalhost\n10.88.0.7\tweb-7d4b9c\n",
            ["resolv.conf"] = "search default.svc.cluster.local svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n",
        };
        var mounts = new List<string>();
        foreach (var (name, content) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(sandbox, name), content);
            mounts.AddRange(["--mount", $"type=bind,src={Path.Combine(sandbox, name)},dst=/etc/{name},options=rbind:rprivate:rw"]);
        }

        var run = await containerd.Run(["--rm", .. mounts], "gcfg1", ["sh", "-c", "cat /etc/hostname; echo --; cat /etc/hosts; echo --; cat /etc/resolv.conf"]);

        Assert.True(run.ExitCode == 0, run + containerd.ContainerdLog());
        Assert.Equal(files["hostname"] + "--\n" + files["hosts"] + "--\n" + files["resolv.conf"], run.Text);
        await containerd.AssertNothingLeftAsync("gcfg1");
    }

    [Fact]
    public async Task Network_and_ipc_sysctls_of_the_spec_are_set_in_the_guest()
    {
        // ctr 1.6 has no --sysctl: the container ctr created gets them in its spec through containerd's Containers API.
        var created = await containerd.Ctr(
            ["containers", "create", "--runtime", "io.containerd.sealpod.v2", "--runtime-config-path", containerd.ConfigPath, PrivateContainerd.Image, "gcfg2",
             // No option-like argument: `ctr containers create` reorders arguments and would take a "-c" for its --config.
             "cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start", "/proc/sys/net/ipv4/ping_group_range", "/proc/sys/kernel/shm_rmid_forced"]);
        Assert.True(created.ExitCode == 0, created.ToString());
        try
        {
            await EditSpecAsync("gcfg2", spec => spec["linux"]!["sysctl"] = new JsonObject
            {
                ["net.ipv4.ip_unprivileged_port_start"] = "80",
                ["net.ipv4.ping_group_range"] = "0 2147483647",
                ["kernel.shm_rmid_forced"] = "1",
            });

            var start = await containerd.Ctr(["tasks", "start", "--fifo-dir", containerd.FifoDirectory, "gcfg2"]);

            Assert.True(start.ExitCode == 0, start + containerd.ContainerdLog());
            Assert.Equal(["80", "0\t2147483647", "1"], start.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            await containerd.RemoveContainerAsync("gcfg2");
        }

        await containerd.AssertNothingLeftAsync("gcfg2");
    }

    [Fact]
    public async Task A_seccomp_profile_is_enforced_in_the_guest_unless_disable_guest_seccomp_is_set()
    {
        string profile = Path.Combine(containerd.Root, "no-mkdir.json");
        await File.WriteAllTextAsync(profile, """
            {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
             "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
            """);
        string enforcing = await containerd.StageConfigAsync("configuration-guest-seccomp.toml", "configuration-qemu-coco-dev.toml",
            text => TomlText.Set(text, "runtime", "disable_guest_seccomp", "false"));
        string[] command = ["sh", "-c", "mkdir /tmp/made && echo made"];

        var denied = await containerd.Run(["--rm", "--seccomp", "--seccomp-profile", profile], "gcfg3", command, configPath: enforcing);
        await containerd.AssertNothingLeftAsync("gcfg3");
        var allowed = await containerd.Run(["--rm", "--seccomp", "--seccomp-profile", profile], "gcfg4", command);
        await containerd.AssertNothingLeftAsync("gcfg4");

        Assert.True(denied.ExitCode != 0, "mkdir passed under the profile: " + denied + containerd.ContainerdLog());
        Assert.Contains("Operation not permitted", denied.Text + denied.Stderr, StringComparison.Ordinal);
        Assert.True(allowed.ExitCode == 0, "with disable_guest_seccomp = true (shipped): " + allowed + containerd.ContainerdLog());
        Assert.Equal("made\n", allowed.Text);
    }

    /// <summary>Reads the container's OCI spec from containerd, lets <paramref name="edit"/> change it and stores it back.</summary>
    private async Task EditSpecAsync(string id, Action<JsonNode> edit)
    {
        using var channel = containerd.OpenChannel();
        var client = new Containers.ContainersClient(channel);
        var got = await containerd.CallAsync("/containerd.services.containers.v1.Containers/Get",
            options => client.GetAsync(new GetContainerRequest { Id = id }, options));
        var spec = JsonNode.Parse(got.Container.Spec.Value.ToStringUtf8())!;
        edit(spec);
        var container = new Container
        {
            Id = id,
            Spec = new Any { TypeUrl = got.Container.Spec.TypeUrl, Value = ByteString.CopyFromUtf8(spec.ToJsonString()) },
        };
        await containerd.CallAsync("/containerd.services.containers.v1.Containers/Update",
            options => client.UpdateAsync(new UpdateContainerRequest { Container = container, UpdateMask = new FieldMask { Paths = { "spec" } } }, options));
    }
}
