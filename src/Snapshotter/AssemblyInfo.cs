using System.Runtime.Versioning;

// Unix sockets, Unix file modes: a Linux host daemon.
[assembly: SupportedOSPlatform("linux")]
