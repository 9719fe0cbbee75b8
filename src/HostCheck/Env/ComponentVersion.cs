namespace Sealpod.HostCheck.Env;

/// <summary>A component's version as found, and where it was found (command or file); Version is null when unknown.</summary>
public sealed record ComponentVersion(string Component, string? Version, string Source);
