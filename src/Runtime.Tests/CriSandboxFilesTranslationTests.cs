namespace Sealpod.Runtime.Tests;

/// <summary>
/// A CRI container spec as containerd 1.6 writes it for a pod container: the sandbox's hostname, hosts and resolv.conf
/// bound read-write from the sandbox directory, pod sysctls and a seccomp profile. Read from a real bundle and real
/// host files; shows what the guest gets (Kata without a shared filesystem: each file copied with CopyFile into the
/// container's shared directory and the mount rebound to the copy).
/// </summary>
public sealed class CriSandboxFilesTranslationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sealpod-cri-files-").FullName;

    [Fact]
    public void The_sandbox_files_become_copies_the_mounts_bind_and_sysctls_and_seccomp_reach_the_guest()
    {
        var bundle = Bundle();

        var guest = GuestContainerSpec.Prepare(bundle, "app1", disableGuestSeccomp: false);

        Assert.Equal(
            [("/etc/hostname", "/run/sealpod/shared/app1/0-hostname"), ("/etc/hosts", "/run/sealpod/shared/app1/1-hosts"), ("/etc/resolv.conf", "/run/sealpod/shared/app1/2-resolv.conf")],
            guest.Spec.Mounts.Where(m => m.Destination.StartsWith("/etc/", StringComparison.Ordinal)).Select(m => (m.Destination, m.Source)));
        Assert.All(guest.Spec.Mounts.Where(m => m.Destination.StartsWith("/etc/", StringComparison.Ordinal)), m => Assert.Equal(["rbind", "rprivate", "rw"], m.Options));
        Assert.Equal(["/run/sealpod/shared/app1/0-hostname", "/run/sealpod/shared/app1/1-hosts", "/run/sealpod/shared/app1/2-resolv.conf"], guest.Copies.Select(c => c.GuestPath));
        Assert.All(guest.Copies, copy => Assert.False(copy.ReadOnly));
        Assert.Equal("nameserver 10.96.0.10\n", Encoding.UTF8.GetString(guest.Copies[2].Source.Entries.Single().Content!.Value.Span));
        Assert.Equal("web-1\n", Encoding.UTF8.GetString(guest.Copies[0].Source.Entries.Single().Content!.Value.Span));

        Assert.Equal(new Dictionary<string, string> { ["kernel.shm_rmid_forced"] = "1", ["net.ipv4.ip_unprivileged_port_start"] = "0" }, guest.Spec.Linux!.Sysctl);
        Assert.Equal("SCMP_ACT_ALLOW", guest.Spec.Linux.Seccomp!.DefaultAction);
        Assert.Equal(["mkdir"], guest.Spec.Linux.Seccomp.Syscalls.Single().Names);
    }

    [Fact]
    public void With_disable_guest_seccomp_the_profile_stays_on_the_host_and_the_rest_is_unchanged()
    {
        var guest = GuestContainerSpec.Prepare(Bundle(), "app1", disableGuestSeccomp: true);

        Assert.Null(guest.Spec.Linux!.Seccomp);
        Assert.Equal(2, guest.Spec.Linux.Sysctl.Count);
        Assert.Equal(3, guest.Copies.Count);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private OciBundle Bundle()
    {
        var sandbox = Directory.CreateDirectory(Path.Combine(_root, "sandboxes", "pod1")).FullName;
        File.WriteAllText(Path.Combine(sandbox, "hostname"), "web-1\n");
        File.WriteAllText(Path.Combine(sandbox, "hosts"), "127.0.0.1 localhost\n");
        File.WriteAllText(Path.Combine(sandbox, "resolv.conf"), "nameserver 10.96.0.10\n");
        var directory = Directory.CreateDirectory(Path.Combine(_root, "bundle")).FullName;
        File.WriteAllText(Path.Combine(directory, "config.json"), $$"""
            {
              "ociVersion": "1.0.2-dev",
              "process": { "user": { "uid": 0, "gid": 0 }, "args": ["sh"], "cwd": "/" },
              "root": { "path": "rootfs" },
              "hostname": "web-1",
              "mounts": [
                { "destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid", "noexec", "nodev"] },
                { "destination": "/etc/hostname", "type": "bind", "source": "{{sandbox}}/hostname", "options": ["rbind", "rprivate", "rw"] },
                { "destination": "/etc/hosts", "type": "bind", "source": "{{sandbox}}/hosts", "options": ["rbind", "rprivate", "rw"] },
                { "destination": "/etc/resolv.conf", "type": "bind", "source": "{{sandbox}}/resolv.conf", "options": ["rbind", "rprivate", "rw"] }
              ],
              "linux": {
                "sysctl": { "kernel.shm_rmid_forced": "1", "net.ipv4.ip_unprivileged_port_start": "0" },
                "namespaces": [ { "type": "pid" }, { "type": "ipc", "path": "/proc/42/ns/ipc" }, { "type": "uts", "path": "/proc/42/ns/uts" }, { "type": "network", "path": "/var/run/netns/cni-1" }, { "type": "mount" } ],
                "seccomp": { "defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [ { "names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1 } ] }
              }
            }
            """);
        return OciBundle.Load(directory);
    }
}
