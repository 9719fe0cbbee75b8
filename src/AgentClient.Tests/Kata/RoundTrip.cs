namespace Sealpod.AgentClient.Tests.Kata;

/// <summary>The translations' lossless check: a domain value sent to the wire and read back is the value it was.</summary>
internal static class RoundTrip
{
    /// <summary>Asserts that <paramref name="value"/> comes back from its wire form equal field for field; returns both forms.</summary>
    public static (TWire Wire, TDomain Back) AssertLossless<TDomain, TWire>(TDomain value, Func<TDomain, TWire> toWire, Func<TWire, TDomain> toDomain)
    {
        var wire = toWire(value);
        var back = toDomain(wire);
        Assert.Equivalent(value, back, strict: true);
        return (wire, back);
    }
}
