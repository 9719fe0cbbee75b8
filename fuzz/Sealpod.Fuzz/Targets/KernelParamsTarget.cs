using Sealpod.Contract.Kernel;

namespace Sealpod.Fuzz.Targets;

/// <summary>
/// The kernel's command-line splitting (host's kernel_params check and the agent's /proc/cmdline reading), on bytes
/// and on the same text as a string. It documents no exception: every input splits. The byte and string forms must
/// agree on ASCII input, and every argument's offset must point at its raw text.
/// </summary>
internal sealed class KernelParamsTarget() : FuzzTarget("kernel-params", "kernel command-line tokenizer (src/Contract/Kernel)")
{
    public override void Run(ReadOnlySpan<byte> input)
    {
        var fromBytes = KernelCommandLineTokenizer.Split(input);
        foreach (var argument in fromBytes)
        {
            _ = argument.IsEndOfParameters;
        }

        _ = KernelCommandLineTokenizer.LastValue(fromBytes, "agent.log");
        var text = Encoding.UTF8.GetString(input);
        var fromText = KernelCommandLineTokenizer.Split(text);
        _ = KernelCommandLineTokenizer.LastValue(fromText, "agent.log");
        if (IsAscii(input) && !fromBytes.SequenceEqual(fromText))
        {
            throw new InvalidOperationException("the byte and string tokenizers disagree on ASCII input");
        }
    }

    public override bool IsDocumented(Exception exception) => false;

    private static bool IsAscii(ReadOnlySpan<byte> input)
    {
        foreach (var b in input)
        {
            if (b >= 0x80)
            {
                return false;
            }
        }

        return true;
    }
}
