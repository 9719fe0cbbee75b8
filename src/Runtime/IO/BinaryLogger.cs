namespace Sealpod.Runtime.IO;

/// <summary>
/// containerd's <c>binary://</c> stdio (<c>ctr run --log-uri binary:///path?key=value</c>): a logging program the
/// shim starts per process, as containerd's runc shim does. It gets the process's stdout on descriptor 3 and
/// stderr on 4 (pipe read ends), and on 5 the write end of a pipe it closes (or writes a byte to) once it is
/// ready; the shim waits for that before the process may start. Query parameters become arguments (key, then
/// value; <c>env.NAME=value</c> an environment variable instead, as newer containerd does); the environment
/// is the shim's with CONTAINER_ID and CONTAINER_NAMESPACE added, as Kata's shim does. When the process is deleted the pipes are closed and the logger gets
/// SIGTERM, then SIGKILL after <see cref="StopGrace"/>.
/// </summary>
internal sealed class BinaryLogger : IAsyncDisposable
{
    public const string Scheme = "binary://";

    /// <summary>How long a logger has to exit after SIGTERM (containerd's runc shim: 12 s).</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(12);

    /// <summary>How long a logger may take to say it is ready (containerd has no limit; a create must not hang forever).</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private const string EnvironmentPrefix = "env.";

    private readonly ChildProcess _process;
    private int _disposed;

    private BinaryLogger(ChildProcess process, AsyncFd stdout, AsyncFd stderr)
    {
        _process = process;
        Stdout = stdout;
        Stderr = stderr;
    }

    /// <summary>The write end of the logger's stdout pipe (owned by whoever writes it).</summary>
    public AsyncFd Stdout { get; }

    /// <summary>The write end of the logger's stderr pipe.</summary>
    public AsyncFd Stderr { get; }

    public static bool IsBinaryUri(string uri) => uri.StartsWith(Scheme, StringComparison.Ordinal);

    /// <summary>Starts the logger <paramref name="uri"/> names for process <paramref name="processId"/> and waits until it is ready.</summary>
    public static async Task<BinaryLogger> StartAsync(FdPoller poller, string uri, string processId, string containerdNamespace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(poller);
        var (path, arguments, environment) = Parse(uri);
        var opened = new List<int>();
        AsyncFd? stdout = null, stderr = null, ready = null;
        ChildProcess? process = null;
        try
        {
            var (outRead, outWrite) = Track(opened, ChildProcess.Pipe());
            var (errRead, errWrite) = Track(opened, ChildProcess.Pipe());
            var (readyRead, readyWrite) = Track(opened, ChildProcess.Pipe());
            process = ChildProcess.Start(path, arguments, Environment(processId, containerdNamespace, environment), [outRead, errRead, readyWrite]);

            // Only the logger holds the read ends and the ready pipe's write end now: its exit shows as EOF or EPIPE.
            foreach (int fd in new[] { outRead, errRead, readyWrite })
            {
                LibC.Close(fd);
                opened.Remove(fd);
            }

            stdout = Adopt(poller, opened, outWrite, $"{uri} stdout");
            stderr = Adopt(poller, opened, errWrite, $"{uri} stderr");
            ready = Adopt(poller, opened, readyRead, $"{uri} ready");
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(ReadyTimeout);
            try
            {
                await ready.ReadAsync(new byte[1], limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new DeadlineExceededException($"logging binary {path} did not signal readiness (closing descriptor 5) within {ReadyTimeout.TotalSeconds} s");
            }

            return new BinaryLogger(process, stdout, stderr);
        }
        catch
        {
            stdout?.Dispose();
            stderr?.Dispose();
            foreach (int fd in opened)
            {
                LibC.Close(fd);
            }

            if (process is not null)
            {
                await process.StopAsync(TimeSpan.Zero).ConfigureAwait(false);
            }

            throw;
        }
        finally
        {
            ready?.Dispose();
        }
    }

    /// <summary>Closes both pipes (what was written stays readable for the logger), then stops and reaps the logger.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Stdout.Dispose();
        Stderr.Dispose();
        await _process.StopAsync(StopGrace).ConfigureAwait(false);
    }

    /// <summary>The program, its arguments and extra environment from a <c>binary:///path?query</c> URI.</summary>
    internal static (string Path, IReadOnlyList<string> Arguments, IReadOnlyList<string> Environment) Parse(string uri)
    {
        // A host part ("binary://host/path") would be dropped by containerd's parser and the path run instead: refused.
        if (!IsBinaryUri(uri) || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Host.Length > 0 || parsed.AbsolutePath.Length <= 1)
        {
            throw new InvalidArgumentException($"stdio '{uri}' is not a binary:///absolute/path URI");
        }

        string path = Uri.UnescapeDataString(parsed.AbsolutePath);
        var arguments = new List<string>();
        var environment = new List<string>();
        foreach (var pair in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string key = Decode(equals < 0 ? pair : pair[..equals]);
            string value = equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
            if (key.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
            {
                string name = key[EnvironmentPrefix.Length..];
                if (name.Length > 0 && name is not ("CONTAINER_ID" or "CONTAINER_NAMESPACE"))
                {
                    environment.Add($"{name}={value}");
                }
            }
            else
            {
                arguments.Add(key);
                arguments.Add(value);
            }
        }

        return (path, arguments, environment);
    }

    // The shim's own environment (PATH above all), then who the logger logs for, then the URI's env.* parameters.
    private static List<string> Environment(string processId, string containerdNamespace, IReadOnlyList<string> extra)
    {
        var inherited = System.Environment.GetEnvironmentVariables();
        var overridden = extra.Select(e => e[..e.IndexOf('=', StringComparison.Ordinal)]).Append("CONTAINER_ID").Append("CONTAINER_NAMESPACE").ToHashSet(StringComparer.Ordinal);
        var environment = new List<string>(inherited.Count + 2 + extra.Count);
        foreach (System.Collections.DictionaryEntry variable in inherited)
        {
            if (variable.Key is string name && !overridden.Contains(name))
            {
                environment.Add($"{name}={variable.Value}");
            }
        }

        environment.Add($"CONTAINER_ID={processId}");
        environment.Add($"CONTAINER_NAMESPACE={containerdNamespace}");
        environment.AddRange(extra);
        return environment;
    }

    // Query strings encode spaces as '+'.
    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private static (int Read, int Write) Track(List<int> opened, (int Read, int Write) pipe)
    {
        opened.Add(pipe.Read);
        opened.Add(pipe.Write);
        return pipe;
    }

    private static AsyncFd Adopt(FdPoller poller, List<int> opened, int fd, string name)
    {
        // The poller owns the descriptor from here on, and closes it itself if registering fails.
        opened.Remove(fd);
        return poller.Register(fd, name);
    }
}
