namespace Sealpod.Runtime.Tests.Fakes;

/// <summary>OCI specs shaped like the ones ctr and CRI write.</summary>
internal static class SampleSpecs
{
    public static string Minimal(bool terminal = false) => $$"""
        {
          "ociVersion": "1.0.2-dev",
          "process": { "terminal": {{(terminal ? "true" : "false")}}, "user": { "uid": 0, "gid": 0 }, "args": ["sh"], "env": ["PATH=/bin"], "cwd": "/" },
          "root": { "path": "rootfs" },
          "hostname": "demo",
          "linux": { "namespaces": [ { "type": "pid" }, { "type": "mount" } ] }
        }
        """;

    /// <summary>A spec with everything the guest policy must change.</summary>
    public static string Full(string hostFile, string hostDirectory) => $$"""
        {
          "ociVersion": "1.0.2-dev",
          "process": {
            "terminal": true,
            "consoleSize": { "height": 40, "width": 120 },
            "user": { "uid": 1000, "gid": 1001, "additionalGids": [10, 20], "username": "app" },
            "args": ["/bin/sh", "-c", "echo hi"],
            "env": ["PATH=/usr/bin:/bin", "TERM=xterm"],
            "cwd": "/work",
            "capabilities": { "bounding": ["CAP_CHOWN", "CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"] },
            "rlimits": [ { "type": "RLIMIT_NOFILE", "hard": 1024, "soft": 512 } ],
            "noNewPrivileges": true,
            "apparmorProfile": "cri-containerd.apparmor.d",
            "oomScoreAdj": -998,
            "selinuxLabel": "system_u:system_r:container_t"
          },
          "root": { "path": "rootfs", "readonly": true },
          "hostname": "pod",
          "mounts": [
            { "destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid", "noexec", "nodev"] },
            { "destination": "/etc/resolv.conf", "type": "bind", "source": "{{hostFile}}", "options": ["rbind", "ro"] },
            { "destination": "/data", "type": "bind", "source": "{{hostDirectory}}", "options": ["rbind", "rw"] }
          ],
          "hooks": { "prestart": [ { "path": "/usr/bin/host-hook", "args": ["host-hook", "x"], "timeout": 5 } ] },
          "annotations": { "io.kubernetes.cri.container-type": "container", "io.kubernetes.cri.sandbox-id": "pod1" },
          "linux": {
            "uidMappings": [ { "containerID": 0, "hostID": 100000, "size": 65536 } ],
            "sysctl": { "net.ipv4.ip_forward": "1" },
            "resources": {
              "devices": [ { "allow": false, "access": "rwm" }, { "allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm" } ],
              "memory": { "limit": 268435456, "swap": -1 },
              "cpu": { "shares": 512, "quota": 50000, "period": 100000, "cpus": "0-1" },
              "pids": { "limit": 100 },
              "hugepageLimits": [ { "pageSize": "2MB", "limit": 0 } ]
            },
            "cgroupsPath": "kubepods-besteffort.slice:cri-containerd:abc",
            "namespaces": [ { "type": "pid" }, { "type": "ipc", "path": "/proc/42/ns/ipc" }, { "type": "network", "path": "/var/run/netns/cni-1" }, { "type": "cgroup" }, { "type": "mount" } ],
            "devices": [ { "path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 438, "uid": 0, "gid": 0 } ],
            "seccomp": { "defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [ { "names": ["read", "write"], "action": "SCMP_ACT_ALLOW" }, { "names": ["ptrace"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "args": [ { "index": 0, "value": 16, "op": "SCMP_CMP_EQ" } ] } ] },
            "maskedPaths": ["/proc/kcore"],
            "readonlyPaths": ["/proc/sys"],
            "mountLabel": "system_u:object_r:container_file_t"
          }
        }
        """;
}
