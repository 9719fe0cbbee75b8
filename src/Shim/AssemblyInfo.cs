using System.Runtime.Versioning;

// A containerd shim for Linux hosts.
[assembly: SupportedOSPlatform("linux")]
