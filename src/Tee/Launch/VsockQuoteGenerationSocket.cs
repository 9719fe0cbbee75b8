namespace Sealpod.Tee.Launch;

/// <summary>QGS over vsock.</summary>
public sealed record VsockQuoteGenerationSocket(uint Cid, uint Port) : QuoteGenerationSocket;
