using System.Runtime.Versioning;

// The parsers under test are Linux-only (the agent, the runtime), like the programs that ship them.
[assembly: SupportedOSPlatform("linux")]
