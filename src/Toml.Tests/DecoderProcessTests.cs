using System.Diagnostics;

namespace Sealpod.Toml.Tests;

/// <summary>The decoder as toml-test's runner uses it: a real process, TOML on stdin, JSON on stdout, exit codes.</summary>
public sealed class DecoderProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static (int ExitCode, string Stdout, string Stderr) Run(string stdin, params string[] args)
    {
        // The decoder's build output is copied beside the tests through the project reference.
        var dll = Path.Combine(AppContext.BaseDirectory, "Sealpod.Toml.Decoder.dll");
        Assert.True(File.Exists(dll), $"decoder not built: {dll}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
            Assert.True(process.WaitForExit(Timeout), "decoder did not exit");
            return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public void Valid_input_prints_tagged_json_and_exits_0()
    {
        var (code, stdout, stderr) = Run("[a]\nb = 1\n");
        Assert.Equal(0, code);
        Assert.Equal("{\"a\":{\"b\":{\"type\":\"integer\",\"value\":\"1\"}}}", stdout.Trim());
        Assert.Empty(stderr);
    }

    [Fact]
    public void Invalid_input_exits_1_with_the_error_on_stderr()
    {
        var (code, stdout, stderr) = Run("a = 1\na = 2\n");
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Equal("<stdin>:2:1: duplicate key \"a\" (first defined at <stdin>:1:1)", stderr.Trim());
    }

    [Fact]
    public void Compare_mode_accepts_equal_values_and_rejects_different_ones()
    {
        var expected = Path.GetTempFileName();
        try
        {
            File.WriteAllText(expected, """{"f": {"type": "float", "value": "1000.0"}}""");
            Assert.Equal(0, Run("""{"f":{"type":"float","value":"1e3"}}""", "--compare", expected).ExitCode);
            var (code, _, stderr) = Run("""{"f":{"type":"float","value":"1e4"}}""", "--compare", expected);
            Assert.Equal(1, code);
            Assert.Contains("$.f: expected float", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(expected);
        }
    }
}
