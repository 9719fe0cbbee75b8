using Microsoft.Extensions.Logging;

namespace Sealpod.Fuzz.Targets;

/// <summary>
/// The ttrpc server's side of a connection: the input is everything a client sends (frames, request envelopes,
/// metadata, timeouts), fed in small reads to a real <see cref="TtrpcServer"/> with one echo method. The server
/// must answer or close; the reason it closes may only be malformed input (InvalidDataException) or a cut frame.
/// </summary>
internal sealed class TtrpcServerTarget() : FuzzTarget("ttrpc-server", "ttrpc frames and request envelopes as a server reads them (src/Rpc)")
{
    public override void Run(ReadOnlySpan<byte> input)
    {
        var closeReasons = new CloseReasonLogger();
        var server = new TtrpcServer(new TtrpcServerOptions { Logger = closeReasons, RequireSameUser = false });
        server.AddService("fuzz.Echo").AddUnary("Echo", (request, _) => ValueTask.FromResult(TtrpcPayload.FromBytes(request)));
        try
        {
            server.ServeConnectionAsync(new FuzzStream(input.ToArray())).WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        if (closeReasons.Reason is { } reason && !IsDocumented(reason))
        {
            throw new InvalidOperationException("the ttrpc server connection closed for an undocumented reason", reason);
        }
    }

    public override bool IsDocumented(Exception exception) => exception is InvalidDataException or EndOfStreamException;

    /// <summary>The connection logs why it closed (at Debug, with the exception); that is where a parser crash lands.</summary>
    private sealed class CloseReasonLogger : ILogger
    {
        public Exception? Reason { get; private set; }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is not null)
            {
                Reason ??= exception;
            }
        }
    }
}
