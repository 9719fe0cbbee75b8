using System.Threading.Channels;

namespace Sealpod.Shim.Logging;

/// <summary>
/// Writes log lines to the bundle's <c>log</c> FIFO, which containerd copies to its own stderr, in logrus's
/// text format (<c>time="..." level=info msg="..."</c>) so they read like every other shim's. Lines go through
/// a queue to one writer task: a slow reader never stalls a ttrpc handler. AOT-safe (no configuration binding).
/// </summary>
public sealed class ShimLoggerProvider : ILoggerProvider
{
    private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(4096)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropOldest,
    });

    private readonly Stream _output;
    private readonly TimeProvider _time;
    private readonly string _fields;
    private readonly Task _writer;

    /// <param name="output">Where lines go; the provider owns and closes it.</param>
    /// <param name="fields">Fields appended to every line, e.g. <c>runtime=io.containerd.sealpod.v2 id=demo</c>.</param>
    public ShimLoggerProvider(Stream output, LogLevel minimumLevel, string fields, TimeProvider? time = null)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        MinimumLevel = minimumLevel;
        _fields = fields;
        _time = time ?? TimeProvider.System;
        _writer = Task.Run(WriteLinesAsync);
    }

    public LogLevel MinimumLevel { get; }

    /// <summary>Opens the bundle's log FIFO for writing; null when there is none (a shim started by hand).</summary>
    public static Stream? OpenFifo(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        // containerd holds the FIFO open for reading and writing, so opening for writing does not block.
        return new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
    }

    public ILogger CreateLogger(string categoryName) => new ShimLogger(this, categoryName);

    public void Dispose()
    {
        _lines.Writer.TryComplete();
        try
        {
            _writer.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }

        _output.Dispose();
    }

    internal void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var line = new StringBuilder(128 + message.Length);
        line.Append("time=\"").Append(_time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture)).Append('"');
        line.Append(" level=").Append(LevelName(level));
        line.Append(" msg=");
        AppendQuoted(line, exception is null ? message : $"{message}: {exception.Message}");
        if (exception is not null && level >= LogLevel.Error)
        {
            line.Append(" error=");
            AppendQuoted(line, exception.ToString());
        }

        line.Append(' ').Append(_fields).Append(" source=").Append(ShortCategory(category)).Append('\n');
        _lines.Writer.TryWrite(line.ToString());
    }

    private async Task WriteLinesAsync()
    {
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                var bytes = Encoding.UTF8.GetBytes(line);
                await _output.WriteAsync(bytes).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // containerd went away: nobody reads the log any more.
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "fatal",
        _ => "info",
    };

    private static string ShortCategory(string category)
    {
        int dot = category.LastIndexOf('.');
        return dot < 0 ? category : category[(dot + 1)..];
    }

    private static void AppendQuoted(StringBuilder line, string text)
    {
        line.Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"': line.Append("\\\""); break;
                case '\\': line.Append("\\\\"); break;
                case '\n': line.Append("\\n"); break;
                case '\r': line.Append("\\r"); break;
                case '\t': line.Append("\\t"); break;
                default: line.Append(c); break;
            }
        }

        line.Append('"');
    }
}
