namespace Sealpod.Fuzz;

/// <summary>Splits an input into documents at NUL bytes (JSON and TOML never hold one); missing parts are empty.</summary>
internal static class FuzzParts
{
    public static byte[][] Split(ReadOnlySpan<byte> input, int count)
    {
        var parts = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var end = i == count - 1 ? -1 : input.IndexOf((byte)0);
            parts[i] = (end < 0 ? input : input[..end]).ToArray();
            input = end < 0 ? [] : input[(end + 1)..];
        }

        return parts;
    }
}
