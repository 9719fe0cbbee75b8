using System.Runtime.Versioning;

// The targets drive Linux-only parsers (the agent, the runtime).
[assembly: SupportedOSPlatform("linux")]
