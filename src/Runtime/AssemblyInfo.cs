using System.Runtime.Versioning;

// Mounts, FIFOs, epoll and the hypervisor: this library runs on Linux hosts only.
[assembly: SupportedOSPlatform("linux")]
