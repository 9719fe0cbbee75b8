using System.Runtime.Versioning;

// The tests use unix sockets, SO_PEERCRED and the Go peer: Linux only, like the runtime itself.
[assembly: SupportedOSPlatform("linux")]
