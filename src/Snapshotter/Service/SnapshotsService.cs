using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Sealpod.Protos.Containerd.Services.Snapshots.V1;
using ProtoMount = Sealpod.Protos.Containerd.Types.Mount;

namespace Sealpod.Snapshotter.Service;

/// <summary>
/// containerd.services.snapshots.v1.Snapshots over the <see cref="SnapshotStore"/>: translate, delegate, map the error
/// (<see cref="StatusOf"/>, the one place). The request's snapshotter field is ignored: the socket is this snapshotter.
/// </summary>
public sealed class SnapshotsService(SnapshotStore store, ILogger<SnapshotsService> logger) : Snapshots.SnapshotsBase
{
    public override Task<PrepareSnapshotResponse> Prepare(PrepareSnapshotRequest request, ServerCallContext context) =>
        Call("Prepare", request.Key, context, async token =>
        {
            var response = new PrepareSnapshotResponse();
            response.Mounts.AddRange(ToProto(await store.PrepareAsync(request.Key, request.Parent, request.Labels, token).ConfigureAwait(false)));
            return response;
        });

    public override Task<ViewSnapshotResponse> View(ViewSnapshotRequest request, ServerCallContext context) =>
        Call("View", request.Key, context, async token =>
        {
            var response = new ViewSnapshotResponse();
            response.Mounts.AddRange(ToProto(await store.ViewAsync(request.Key, request.Parent, request.Labels, token).ConfigureAwait(false)));
            return response;
        });

    public override Task<MountsResponse> Mounts(MountsRequest request, ServerCallContext context) =>
        Call("Mounts", request.Key, context, async token =>
        {
            var response = new MountsResponse();
            response.Mounts.AddRange(ToProto(await store.MountsAsync(request.Key, token).ConfigureAwait(false)));
            return response;
        });

    public override Task<Empty> Commit(CommitSnapshotRequest request, ServerCallContext context) =>
        Call("Commit", request.Key, context, async token =>
        {
            await store.CommitAsync(request.Name, request.Key, request.Labels, token).ConfigureAwait(false);
            return new Empty();
        });

    public override Task<Empty> Remove(RemoveSnapshotRequest request, ServerCallContext context) =>
        Call("Remove", request.Key, context, async token =>
        {
            await store.RemoveAsync(request.Key, token).ConfigureAwait(false);
            return new Empty();
        });

    public override Task<StatSnapshotResponse> Stat(StatSnapshotRequest request, ServerCallContext context) =>
        Call("Stat", request.Key, context, async token =>
            new StatSnapshotResponse { Info = ToProto(await store.StatAsync(request.Key, token).ConfigureAwait(false)) });

    public override Task<UpdateSnapshotResponse> Update(UpdateSnapshotRequest request, ServerCallContext context)
    {
        var info = request.Info ?? new Info();
        return Call("Update", info.Name, context, async token =>
        {
            var paths = request.UpdateMask?.Paths.ToList() ?? [];
            return new UpdateSnapshotResponse { Info = ToProto(await store.UpdateAsync(info.Name, info.Labels, paths, token).ConfigureAwait(false)) };
        });
    }

    public override Task<UsageResponse> Usage(UsageRequest request, ServerCallContext context) =>
        Call("Usage", request.Key, context, async token =>
        {
            var usage = await store.UsageAsync(request.Key, token).ConfigureAwait(false);
            return new UsageResponse { Size = usage.Size, Inodes = usage.Inodes };
        });

    public override Task<Empty> Cleanup(CleanupRequest request, ServerCallContext context) =>
        Call("Cleanup", string.Empty, context, async token =>
        {
            foreach (var removed in await store.CleanupAsync(token).ConfigureAwait(false))
            {
                logger.LogInformation("Cleanup removed {Directory}", removed);
            }

            return new Empty();
        });

    /// <summary>Streams the matches in batches, as containerd's own proxy server does (100 per message).</summary>
    public override async Task List(ListSnapshotsRequest request, IServerStreamWriter<ListSnapshotsResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(responseStream);
        var snapshots = await Call("List", string.Empty, context, token => store.ListAsync(ListFilter.Parse(request.Filters), token)).ConfigureAwait(false);
        foreach (var batch in snapshots.Chunk(100))
        {
            var response = new ListSnapshotsResponse();
            response.Info.AddRange(batch.Select(ToProto));
            await responseStream.WriteAsync(response, context.CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The one error mapping: typed store errors to gRPC codes containerd's errdefs turns back into its own.</summary>
    internal static StatusCode StatusOf(SnapshotError error) => error switch
    {
        SnapshotError.InvalidArgument => StatusCode.InvalidArgument,
        SnapshotError.NotFound => StatusCode.NotFound,
        SnapshotError.AlreadyExists => StatusCode.AlreadyExists,
        SnapshotError.FailedPrecondition => StatusCode.FailedPrecondition,
        _ => StatusCode.Unknown,
    };

    internal static Info ToProto(SnapshotRecord snapshot)
    {
        var info = new Info
        {
            Name = snapshot.Name,
            Parent = snapshot.Parent,
            Kind = snapshot.Kind switch
            {
                SnapshotKind.View => Kind.View,
                SnapshotKind.Active => Kind.Active,
                SnapshotKind.Committed => Kind.Committed,
                _ => Kind.Unknown,
            },
            CreatedAt = Timestamp.FromDateTimeOffset(snapshot.Created),
            UpdatedAt = Timestamp.FromDateTimeOffset(snapshot.Updated),
        };
        foreach (var (key, value) in snapshot.Labels)
        {
            info.Labels[key] = value;
        }

        return info;
    }

    private static IEnumerable<ProtoMount> ToProto(IEnumerable<SnapshotMount> mounts) =>
        mounts.Select(m =>
        {
            var mount = new ProtoMount { Type = m.Type, Source = m.Source };
            mount.Options.AddRange(m.Options);
            return mount;
        });

    private async Task<T> Call<T>(string method, string key, ServerCallContext context, Func<CancellationToken, Task<T>> body)
    {
        try
        {
            return await body(context.CancellationToken).ConfigureAwait(false);
        }
        catch (SnapshotException e)
        {
            // AlreadyExists from Prepare is the remote-snapshotter answer, not a failure: debug, not warning.
            logger.Log(e.Error == SnapshotError.AlreadyExists ? LogLevel.Debug : LogLevel.Information, "{Method} {Key}: {Message}", method, key, e.Message);
            throw new RpcException(new Status(StatusOf(e.Error), e.Message));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogError(e, "{Method} {Key} failed", method, key);
            throw new RpcException(new Status(StatusCode.Internal, $"{method} \"{key}\": {e.Message}"));
        }
    }
}
