namespace Sealpod.InitData.Hashing;

/// <summary>
/// The four sigma functions of one SHA-2 width (FIPS 180-4 §4.1.2, §4.1.3): the only part of the compression that
/// SHA-256 and SHA-512 do not share besides the word size and the round constants.
/// </summary>
internal interface ISha2Sigmas<T>
    where T : IBinaryInteger<T>
{
    static abstract T BigSigma0(T x);

    static abstract T BigSigma1(T x);

    static abstract T SmallSigma0(T x);

    static abstract T SmallSigma1(T x);
}
