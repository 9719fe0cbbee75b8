using System.Text;
using Sealpod.Contract.Kernel;

namespace Sealpod.Contract.Tests;

/// <summary>The cases follow next_arg (lib/cmdline.c) and parse_args (kernel/params.c) of Linux 6.x.</summary>
public sealed class KernelCommandLineTokenizerTests
{
    private static (string Key, string? Value)[] Pairs(string line) =>
        KernelCommandLineTokenizer.Split(line).Select(a => (a.Key, a.Value)).ToArray();

    [Fact]
    public void Plain_parameters_split_on_kernel_whitespace_and_the_first_equals_sign()
    {
        Assert.Equal(
            [("console", "hvc0"), ("quiet", null), ("a", "b=c"), ("empty", ""), ("v", "1"), ("w", "2")],
            Pairs("  console=hvc0\tquiet \n a=b=c empty= v=1\vw=2\r\n"));
    }

    [Fact]
    public void Quotes_group_spaces_and_the_kernel_strips_the_value_quotes()
    {
        var args = KernelCommandLineTokenizer.Split("dm-mod.create=\"a b,c\" x=\"y\"z \"k=v w\" \"solo word\" q=a\"b c\"d");

        Assert.Equal(
            [("dm-mod.create", "a b,c"), ("x", "y\"z"), ("k", "v w"), ("solo word", null), ("q", "a\"b c\"d")],
            args.Select(a => (a.Key, a.Value)).ToArray());
        Assert.Equal("dm-mod.create=\"a b,c\"", args[0].Raw);
        Assert.All(args, a => Assert.Null(a.UnclosedQuoteOffset));
    }

    [Fact]
    public void Byte_0xA0_separates_parameters_even_inside_a_UTF8_character()
    {
        // 'à' is C3 A0 in UTF-8: the kernel's isspace(0xA0) is true (Latin-1 ctype).
        Assert.Equal([("agent.log", "x\uFFFD"), ("rdinit", "/bin/sh")], Pairs("agent.log=x\u00E0rdinit=/bin/sh"));
        Assert.Equal([("a", "1"), ("b", "2")], KernelCommandLineTokenizer.Split([(byte)'a', (byte)'=', (byte)'1', 0xA0, (byte)'b', (byte)'=', (byte)'2']).Select(a => (a.Key, a.Value)).ToArray());
        Assert.True(KernelCommandLineTokenizer.IsSpace(0xA0));
        Assert.False(KernelCommandLineTokenizer.IsSpace(0x85));
    }

    [Fact]
    public void A_NUL_byte_ends_the_line()
    {
        Assert.Equal([("agent.log", "debug")], Pairs("agent.log=debug\0 rdinit=/bin/sh"));
    }

    [Fact]
    public void An_open_quote_runs_to_the_end_of_the_line_and_is_reported()
    {
        var args = KernelCommandLineTokenizer.Split("a=1 b=\"x y=2");

        Assert.Equal([("a", "1"), ("b", "x y=2")], args.Select(a => (a.Key, a.Value)).ToArray());
        Assert.Equal(6, args[1].UnclosedQuoteOffset);
    }

    [Fact]
    public void An_equals_sign_first_is_part_of_the_name_until_a_later_one()
    {
        Assert.Equal([("=x", null), ("=a", "b")], Pairs("=x =a=b"));
    }

    [Fact]
    public void Lookups_take_the_last_value_and_stop_at_the_double_dash()
    {
        var args = KernelCommandLineTokenizer.Split("agent.runtime=/a agent.runtime=/b -- agent.runtime=/c");

        Assert.True(args[2].IsEndOfParameters);
        Assert.Equal("/b", KernelCommandLineTokenizer.LastValue(args, "agent.runtime"));
        Assert.Null(KernelCommandLineTokenizer.LastValue(args, "agent.runtim"));
    }

    [Fact]
    public void Bytes_and_the_UTF8_string_overload_agree()
    {
        const string line = "x=\"ü v\" y";
        Assert.Equal(KernelCommandLineTokenizer.Split(Encoding.UTF8.GetBytes(line)), KernelCommandLineTokenizer.Split(line));
    }
}
