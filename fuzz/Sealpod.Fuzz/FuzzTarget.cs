namespace Sealpod.Fuzz;

/// <summary>
/// One parser under fuzzing. <see cref="Run"/> feeds it the input the way production code does; an exception
/// <see cref="IsDocumented"/> accepts is the parser refusing bad input as it says it will, anything else is a crash.
/// </summary>
/// <param name="name">The name `make fuzz` and the corpus folder (fuzz/corpus/NAME) use.</param>
/// <param name="description">What is parsed, for `Sealpod.Fuzz list`.</param>
internal abstract class FuzzTarget(string name, string description)
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    /// <summary>Parses <paramref name="input"/> and touches every part of the result a caller would.</summary>
    public abstract void Run(ReadOnlySpan<byte> input);

    /// <summary>The exceptions the parser documents for malformed input.</summary>
    public abstract bool IsDocumented(Exception exception);

    /// <summary>Runs one input; a documented refusal is swallowed, anything else propagates (the fuzzer's crash).</summary>
    public void RunOne(ReadOnlySpan<byte> input)
    {
        try
        {
            Run(input);
        }
        catch (Exception e) when (IsDocumented(e))
        {
        }
    }
}
