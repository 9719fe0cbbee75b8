using System.Runtime.Versioning;

// Namespaces, nsenter, containerd: Linux only.
[assembly: SupportedOSPlatform("linux")]
