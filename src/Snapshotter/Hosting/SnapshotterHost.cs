using Microsoft.AspNetCore.Server.Kestrel.Core;
using Sealpod.Snapshotter.Service;

namespace Sealpod.Snapshotter.Hosting;

/// <summary>
/// The snapshotter's web host: Kestrel on a unix socket with HTTP/2 only (prior knowledge: containerd's gRPC client
/// speaks h2c without an upgrade), ASP.NET Core's gRPC serving <see cref="SnapshotsService"/>. A stale socket from an
/// earlier run is replaced; the socket is removed when the host stops.
/// </summary>
public static class SnapshotterHost
{
    public static WebApplication Build(SnapshotterOptions options, SnapshotStore store, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        if (logging is not null)
        {
            builder.Logging.ClearProviders();
            logging(builder.Logging);
        }

        string directory = Path.GetDirectoryName(options.Address)!;
        Directory.CreateDirectory(directory);
        if (File.Exists(options.Address))
        {
            File.Delete(options.Address);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.ListenUnixSocket(options.Address, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(store);
        var app = builder.Build();
        app.MapGrpcService<SnapshotsService>();
        app.Lifetime.ApplicationStopped.Register(() => File.Delete(options.Address));
        return app;
    }
}
