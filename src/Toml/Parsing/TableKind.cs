namespace Sealpod.Toml.Parsing;

/// <summary>How a table came to exist; decides which later definitions may still add to it.</summary>
internal enum TableKind
{
    /// <summary>Created only as a parent of a [header] (e.g. <c>a</c> in <c>[a.b]</c>): may still get its own header.</summary>
    Implicit,

    /// <summary>Defined by its own [header] or [[header]] (or is the root): never again by a header or dotted keys.</summary>
    Header,

    /// <summary>Created by dotted keys: only dotted keys of the same section may add to it.</summary>
    Dotted,
}
