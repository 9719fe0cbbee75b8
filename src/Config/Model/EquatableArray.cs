namespace Sealpod.Config;

/// <summary>Factory for <see cref="EquatableArray{T}"/>; also what collection expressions (<c>["a", "b"]</c>) call.</summary>
public static class EquatableArray
{
    public static EquatableArray<T> Create<T>(ReadOnlySpan<T> items) => new([.. items]);

    public static EquatableArray<T> From<T>(IEnumerable<T> items) => new([.. items]);

    public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items) => new(ImmutableArray.CreateRange(items));
}
