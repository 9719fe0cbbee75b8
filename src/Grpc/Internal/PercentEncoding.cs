using System.Buffers;
using System.Text;

namespace Sealpod.Grpc.Internal;

/// <summary>
/// Decodes grpc-message: senders write UTF-8 bytes outside printable ASCII, and '%' itself,
/// as %XX.
/// </summary>
internal static class PercentEncoding
{
    public static string Decode(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = new ArrayBufferWriter<byte>(value.Length);
        int literalStart = 0;
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] != '%' || i + 2 >= value.Length || !TryHex(value[i + 1], value[i + 2], out byte decoded))
            {
                // Malformed escapes and raw characters from lenient servers are kept as they are.
                continue;
            }

            AppendUtf8(bytes, value.AsSpan(literalStart, i - literalStart));
            bytes.Write([decoded]);
            i += 2;
            literalStart = i + 1;
        }

        AppendUtf8(bytes, value.AsSpan(literalStart));
        return Encoding.UTF8.GetString(bytes.WrittenSpan);
    }

    private static void AppendUtf8(ArrayBufferWriter<byte> bytes, ReadOnlySpan<char> text)
    {
        if (!text.IsEmpty)
        {
            int written = Encoding.UTF8.GetBytes(text, bytes.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
            bytes.Advance(written);
        }
    }

    private static bool TryHex(char high, char low, out byte value)
    {
        int h = HexValue(high);
        int l = HexValue(low);
        value = (byte)((h << 4) | l);
        return h >= 0 && l >= 0;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
