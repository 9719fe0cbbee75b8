namespace Sealpod.Runtime.Tests.Pods;

/// <summary>Sandbox (pause) container specs as containerd's CRI writes them.</summary>
internal static class PodSpecs
{
    public const string NetworkNs = """{ "type": "network", "path": "/var/run/netns/cni-1234" }""";
    public const string PidNs = """{ "type": "pid" }""";
    public const string IpcNs = """{ "type": "ipc" }""";

    /// <summary>A CRI sandbox spec; by default pod network, PID and IPC namespaces, a cgroupfs path and no sizing.</summary>
    public static string Sandbox(
        string id = "pod1", string[]? namespaces = null, string cgroupsPath = "/kubepods/besteffort/pod1/pod1", string extraAnnotations = "") => $$"""
        {
          "ociVersion": "1.1.0",
          "process": { "user": { "uid": 65535, "gid": 65535 }, "args": ["/pause"], "env": ["PATH=/bin"], "cwd": "/" },
          "root": { "path": "rootfs", "readonly": true },
          "hostname": "pod1",
          "annotations": {
            "io.kubernetes.cri.container-type": "sandbox",
            "io.kubernetes.cri.sandbox-id": "{{id}}",
            "io.kubernetes.cri.sandbox-name": "demo"{{extraAnnotations}}
          },
          "linux": {
            "cgroupsPath": "{{cgroupsPath}}",
            "namespaces": [ {{string.Join(", ", namespaces ?? [PidNs, IpcNs, """{ "type": "uts" }""", """{ "type": "mount" }""", NetworkNs])}} ]
          }
        }
        """;
}
