namespace Sealpod.Tee.Launch;

/// <summary>QGS on a host unix socket.</summary>
public sealed record UnixQuoteGenerationSocket(string Path) : QuoteGenerationSocket;
