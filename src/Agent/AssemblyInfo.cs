using System.Runtime.Versioning;

// The agent is PID 1 of a Linux guest; nothing in it is meant to run elsewhere.
[assembly: SupportedOSPlatform("linux")]
