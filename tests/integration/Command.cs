using System.Diagnostics;

namespace Sealpod.IntegrationTests;

/// <summary>Runs a program to completion with optional stdin bytes; a timeout kills it (and fails the test).</summary>
internal static class Command
{
    public static async Task<CommandResult> RunAsync(string file, IEnumerable<string> args, byte[]? stdin = null, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
        var stdout = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout, limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        var feed = Task.Run(async () =>
        {
            try
            {
                if (stdin is not null)
                {
                    await process.StandardInput.BaseStream.WriteAsync(stdin, limit.Token);
                }
            }
            catch (IOException)
            {
                // The program stopped reading; what it did with the rest is the test's business.
            }
            finally
            {
                process.StandardInput.Close();
            }
        });
        try
        {
            await process.WaitForExitAsync(limit.Token);
            await Task.WhenAll(copyOut, stderr, feed);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {(timeout ?? TimeSpan.FromSeconds(120)).TotalSeconds} s");
        }

        return new CommandResult(process.ExitCode, stdout.ToArray(), await stderr);
    }
}
