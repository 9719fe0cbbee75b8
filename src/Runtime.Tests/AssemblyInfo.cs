using System.Runtime.Versioning;

// The runtime under test is Linux-only (mounts, FIFOs, epoll).
[assembly: SupportedOSPlatform("linux")]
