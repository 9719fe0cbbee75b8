namespace Sealpod.Contract.Kernel;

/// <summary>
/// One parameter of a kernel command line as the kernel hands it over: <paramref name="Key"/> and
/// <paramref name="Value"/> with the kernel's quote stripping applied; <paramref name="Raw"/> as written.
/// </summary>
/// <param name="Raw">The parameter's text on the line, quotes included.</param>
/// <param name="Key">The name (before the first <c>=</c>).</param>
/// <param name="Value">The value after the first <c>=</c>, or null when there is no <c>=</c>.</param>
/// <param name="Offset">Byte offset of <paramref name="Raw"/> in the line.</param>
/// <param name="UnclosedQuoteOffset">Byte offset of a double quote still open at the end of the line, else null.</param>
public readonly record struct KernelArgument(string Raw, string Key, string? Value, int Offset, int? UnclosedQuoteOffset)
{
    /// <summary><c>--</c>: the kernel passes everything after it to init instead of parsing it as parameters.</summary>
    public bool IsEndOfParameters => Value is null && Key == "--";
}
