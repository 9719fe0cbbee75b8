using System.Diagnostics;

namespace Sealpod.Rpc.Tests.Interop;

/// <summary>A running Go peer; disposing kills it if it is still running and reaps it.</summary>
public sealed class GoProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;

    internal GoProcess(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public StreamReader StandardOutput => _process.StandardOutput;

    /// <summary>Waits for the peer to exit and returns its exit code, stdout rest and stderr.</summary>
    public async Task<(int ExitCode, string Output, string Error)> WaitForExitAsync(TimeSpan guard)
    {
        Task<string> output = _process.StandardOutput.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(guard);
        await _process.WaitForExitAsync(cancel.Token);
        return (_process.ExitCode, await output, await _stderr);
    }

    public async Task<string> ReadLineAsync(TimeSpan guard)
    {
        using var cancel = new CancellationTokenSource(guard);
        string? line = await _process.StandardOutput.ReadLineAsync(cancel.Token);
        return line ?? throw new InvalidOperationException($"the Go peer exited early: {await _stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
