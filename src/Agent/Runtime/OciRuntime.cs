using System.Runtime.CompilerServices;

namespace Sealpod.Agent.Runtime;

/// <summary>
/// Drives runc or crun through their shared OCI CLI. Each call runs the binary to completion;
/// failures become <see cref="OciRuntimeException"/> with the runtime's own message, taken from
/// its JSON log when the call passed the container's stdio through (so stderr was not ours).
/// Signals do not go through <c>kill</c>: the agent knows every pid, exec'd processes included
/// (which the CLI cannot address), and signals them directly.
/// </summary>
internal sealed class OciRuntime(string binary, string stateRoot, CommandRunner runner, ILogger log)
{
    public string Binary { get; } = NotEmpty(binary);

    /// <summary>The runtime's <c>--root</c>: where it keeps container state.</summary>
    public string StateRoot { get; } = NotEmpty(stateRoot);

    /// <summary><c>create --bundle B --pid-file P [--console-socket S] ID</c>.</summary>
    public Task CreateAsync(string id, string bundle, string pidFile, string? consoleSocket, RuntimeStdio? stdio, string logFile, CancellationToken cancellationToken = default) =>
        RunAsync(WithConsoleSocket(["create", "--bundle", bundle, "--pid-file", pidFile], consoleSocket, id), stdio, logFile, cancellationToken);

    public Task StartAsync(string id, CancellationToken cancellationToken = default) =>
        RunAsync(["start", id], null, null, cancellationToken);

    /// <summary><c>exec --detach --pid-file P --process J [--console-socket S] ID</c>.</summary>
    public Task ExecAsync(string id, string processFile, string pidFile, string? consoleSocket, RuntimeStdio? stdio, string logFile, CancellationToken cancellationToken = default) =>
        RunAsync(WithConsoleSocket(["exec", "--detach", "--pid-file", pidFile, "--process", processFile], consoleSocket, id), stdio, logFile, cancellationToken);

    // The options of create and exec, then --console-socket when the process has a terminal, then the container id.
    private static List<string> WithConsoleSocket(List<string> arguments, string? consoleSocket, string id)
    {
        if (consoleSocket is not null)
        {
            arguments.AddRange(["--console-socket", consoleSocket]);
        }

        arguments.Add(id);
        return arguments;
    }

    public Task PauseAsync(string id, CancellationToken cancellationToken = default) =>
        RunAsync(["pause", id], null, null, cancellationToken);

    public Task ResumeAsync(string id, CancellationToken cancellationToken = default) =>
        RunAsync(["resume", id], null, null, cancellationToken);

    /// <summary><c>update --resources FILE ID</c>, FILE holding the runtime-spec LinuxResources JSON.</summary>
    public Task UpdateAsync(string id, string resourcesFile, CancellationToken cancellationToken = default) =>
        RunAsync(["update", "--resources", resourcesFile, id], null, null, cancellationToken);

    public Task DeleteAsync(string id, bool force, CancellationToken cancellationToken = default) =>
        RunAsync(force ? ["delete", "--force", id] : ["delete", id], null, null, cancellationToken);

    /// <summary>The runtime's <c>state ID</c> status ("created", "running", "paused", "stopped"), or null if unknown to it.</summary>
    public async Task<string?> StatusAsync(string id, CancellationToken cancellationToken = default)
    {
        var result = await runner.RunAsync(Request(["state", id], null, null), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return null;
        }

        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.TryGetProperty("status", out var status) ? status.GetString() : null;
    }

    private async Task RunAsync(IReadOnlyList<string> arguments, RuntimeStdio? stdio, string? logFile, CancellationToken cancellationToken)
    {
        if (logFile is not null)
        {
            File.Delete(logFile);
        }

        var started = Stopwatch.GetTimestamp();
        var result = await runner.RunAsync(Request(arguments, stdio, logFile), cancellationToken).ConfigureAwait(false);
        log.LogDebug("{Runtime} {Arguments}: {Status} after {Milliseconds:0} ms", Path.GetFileName(Binary), string.Join(' ', arguments), result.Status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (result.Succeeded)
        {
            return;
        }

        var message = logFile is not null ? LastLoggedError(logFile) : null;
        message ??= result.StandardError.Trim();
        if (message.Length == 0)
        {
            message = result.StandardOutput.Trim();
        }

        throw new OciRuntimeException($"{Path.GetFileName(Binary)} {arguments[0]} failed ({result.Status}): {message}");
    }

    private SpawnRequest Request(IReadOnlyList<string> arguments, RuntimeStdio? stdio, string? logFile)
    {
        List<string> all = ["--root", StateRoot];
        if (logFile is not null)
        {
            all.AddRange(["--log", logFile, "--log-format", "json"]);
        }

        all.AddRange(arguments);
        return new SpawnRequest(Binary, all)
        {
            StandardInput = stdio?.Stdin,
            StandardOutput = stdio?.Stdout,
            StandardError = stdio?.Stderr,
        };
    }

    /// <summary>The message of the last error-level line of a runc/crun JSON log.</summary>
    internal static string? LastLoggedError(string logFile)
    {
        if (!File.Exists(logFile))
        {
            return null;
        }

        string? message = null;
        foreach (var line in File.ReadLines(logFile))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.TryGetProperty("level", out var level) && level.GetString() is "error" or "fatal"
                    && root.TryGetProperty("msg", out var msg))
                {
                    message = msg.GetString();
                }
            }
            catch (JsonException)
            {
                // Not every runtime writes only JSON (crun may print plain lines); keep looking.
                message = line.Trim();
            }
        }

        return message;
    }

    private static string NotEmpty(string value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, name);
        return value;
    }
}
