namespace Sealpod.InitData.Hashing;

/// <summary>
/// The SHA-2 compression of one block into the state (FIPS 180-4 §6.2.2, §6.4.2), written once for both widths:
/// the message schedule, the rounds and the final addition are the same for 32- and 64-bit words.
/// </summary>
internal static class Sha2Compression
{
    /// <param name="state">The eight hash words, updated in place.</param>
    /// <param name="block">One block: 16 big-endian words.</param>
    /// <param name="k">The round constants; their count is the number of rounds.</param>
    public static void Compress<T, TSigmas>(Span<T> state, ReadOnlySpan<byte> block, ReadOnlySpan<T> k)
        where T : unmanaged, IBinaryInteger<T>
        where TSigmas : ISha2Sigmas<T>
    {
        var wordSize = T.Zero.GetByteCount();
        Span<T> w = stackalloc T[k.Length];
        for (var t = 0; t < 16; t++)
        {
            w[t] = T.ReadBigEndian(block.Slice(t * wordSize, wordSize), isUnsigned: true);
        }

        for (var t = 16; t < k.Length; t++)
        {
            w[t] = w[t - 16] + TSigmas.SmallSigma0(w[t - 15]) + w[t - 7] + TSigmas.SmallSigma1(w[t - 2]);
        }

        T a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        for (var t = 0; t < k.Length; t++)
        {
            var t1 = h + TSigmas.BigSigma1(e) + ((e & f) ^ (~e & g)) + k[t] + w[t];
            var t2 = TSigmas.BigSigma0(a) + ((a & b) ^ (a & c) ^ (b & c));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }

        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }
}
