using System.Net.Sockets;
using System.Runtime.InteropServices;
using Sealpod.Linux.Native;
using Sealpod.Runtime.Configuration;
using Sealpod.Shim.Events;
using Sealpod.Shim.Logging;
using Sealpod.Shim.Tasks;

namespace Sealpod.Shim.Hosting;

/// <summary>
/// The long-running shim: serves the Task API on the socket <c>start</c> bound, logs to the bundle's
/// <c>log</c> FIFO, publishes events to containerd, and exits once containerd has shut it down (or on
/// SIGTERM), stopping whatever VM is left and removing its socket.
/// </summary>
internal static partial class ServeCommand
{
    // Lets the Shutdown answer reach containerd before the connection closes under it.
    private static readonly TimeSpan ShutdownAnswerGrace = TimeSpan.FromMilliseconds(100);

    public static async Task<int> RunAsync(ShimFlags flags)
    {
        string socketPath = ShimSocketAddress.ToPath(flags.Socket);
        string bundle = flags.Bundle.Length > 0 ? flags.Bundle : Directory.GetCurrentDirectory();
        var logOutput = ShimLoggerProvider.OpenFifo(Path.Combine(bundle, "log")) ?? Stream.Null;
        var level = flags.Debug ? LogLevel.Debug : LogLevel.Information;
        using var loggerProvider = new ShimLoggerProvider(logOutput, level, $"runtime={ShimVersion.RuntimeName} namespace={flags.Namespace} id={flags.Id} pid={Environment.ProcessId}");
        using var loggerFactory = new LoggerFactory([loggerProvider], new LoggerFilterOptions { MinLevel = level });
        var logger = loggerFactory.CreateLogger("Sealpod.Shim");

        Socket listener;
        try
        {
            listener = OpenListener(flags, socketPath);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogFatal(logger, e);
            return 1;
        }

        try
        {
            string eventsAddress = Environment.GetEnvironmentVariable("TTRPC_ADDRESS") is { Length: > 0 } address ? address : flags.Address + ".ttrpc";
            await using var publisher = new TtrpcEventPublisher(eventsAddress, flags.Namespace, loggerFactory.CreateLogger("Sealpod.Shim.Events"));
            var host = new SandboxHost(new SandboxHostOptions
            {
                Publisher = publisher,
                LoggerFactory = loggerFactory,
                Directories = RuntimeDirectories.FromEnvironment(),
                Namespace = flags.Namespace.Length > 0 ? flags.Namespace : SandboxHostOptions.DefaultNamespace,
            });
            var service = new TaskService(host, loggerFactory.CreateLogger("Sealpod.Shim.TaskService"));
            var server = new TtrpcServer(new TtrpcServerOptions { Logger = loggerFactory.CreateLogger("Sealpod.Rpc") });
            service.Register(server);

            using var stop = new CancellationTokenSource();
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            LogServing(logger, socketPath, eventsAddress);
            var serving = server.ServeAsync(listener, stop.Token);
            var stopped = Task.Delay(Timeout.Infinite, stop.Token);
            var reason = await Task.WhenAny(service.ShutdownRequested, stopped, serving).ConfigureAwait(false);
            LogShuttingDown(logger, reason == service.ShutdownRequested ? "containerd asked" : reason == stopped ? "SIGTERM" : "the listener failed");
            if (reason == service.ShutdownRequested)
            {
                await Task.Delay(ShutdownAnswerGrace).ConfigureAwait(false);
            }

            await stop.CancelAsync().ConfigureAwait(false);
            await host.DisposeAsync().ConfigureAwait(false);
            await server.DisposeAsync().ConfigureAwait(false);
            await serving.ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogFatal(logger, e);
            return 1;
        }
        finally
        {
            listener.Dispose();
            File.Delete(socketPath);
        }
    }

    private static Socket OpenListener(ShimFlags flags, string socketPath)
    {
        if (flags.ListenFd is not { } fd)
        {
            return TtrpcServer.Listen(socketPath);
        }

        // Inherited from start without close-on-exec: set it now, or every QEMU this shim starts keeps the socket open.
        if (LibC.Fcntl(fd, LibC.F_SETFD, LibC.FD_CLOEXEC) != 0)
        {
            throw new IOException($"descriptor {fd} (-listen-fd) is not open: {LibC.ErrorText(Marshal.GetLastPInvokeError())}");
        }

        return new Socket(new SafeSocketHandle(fd, ownsHandle: true));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "serving the task API on {Socket}; events go to {EventsAddress}")]
    private static partial void LogServing(ILogger logger, string socket, string eventsAddress);

    [LoggerMessage(Level = LogLevel.Information, Message = "shutting down: {Reason}")]
    private static partial void LogShuttingDown(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "the shim failed")]
    private static partial void LogFatal(ILogger logger, Exception error);
}
