using Grpc.Core;
using Sealpod.Protos.Containerd.Services.Snapshots.V1;
using Sealpod.Rpc.Grpc;
using Sealpod.Snapshotter.Hosting;

namespace Sealpod.Snapshotter.Tests;

/// <summary>The real host (Kestrel, HTTP/2 prior knowledge on a unix socket) dialled by a Grpc.Net.Client channel.</summary>
public sealed class SnapshotsServiceGrpcTests : TempDirectoryTest
{
    [Fact]
    public async Task The_remote_snapshotter_exchange_over_grpc_on_a_unix_socket()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string socket = Temp.Combine("run", "s.sock");
        using var store = await SnapshotStore.OpenAsync(Temp.Combine("root"), cancellationToken: cancel.Token);
        await using var app = SnapshotterHost.Build(new SnapshotterOptions(Temp.Combine("root"), socket), store, logging => { });
        await app.StartAsync(cancel.Token);
        try
        {
            using var channel = GrpcChannels.ForAddress(new Uri("unix://" + socket));
            var client = new Snapshots.SnapshotsClient(channel);
            var prepare = new PrepareSnapshotRequest { Snapshotter = "sealpod", Key = "k8s.io/1/extract-1 sha256:c1" };
            prepare.Labels.Add(GuestPullLayers.Labels("sha256:c1", "sha256:l1"));

            var refused = await Assert.ThrowsAsync<RpcException>(() => client.PrepareAsync(prepare, cancellationToken: cancel.Token).ResponseAsync);
            Assert.Equal(StatusCode.AlreadyExists, refused.StatusCode);

            var listed = new List<Info>();
            using (var list = client.List(new ListSnapshotsRequest { Filters = { "labels.\"containerd.io/snapshot.ref\"==sha256:c1,parent==\"\"" } }, cancellationToken: cancel.Token))
            {
                await foreach (var batch in list.ResponseStream.ReadAllAsync(cancel.Token))
                {
                    listed.AddRange(batch.Info);
                }
            }

            var layer = Assert.Single(listed);
            Assert.Equal(("sha256:c1", Kind.Committed), (layer.Name, layer.Kind));

            var container = await client.PrepareAsync(new PrepareSnapshotRequest { Key = "k8s.io/2/ctr", Parent = "sha256:c1" }, cancellationToken: cancel.Token);
            var mount = Assert.Single(container.Mounts);
            Assert.Equal("fuse.nydus-overlayfs", mount.Type);
            Assert.Equal("image_guest_pull", mount.Options.Select(KataVirtualVolume.Parse).Single(v => v is not null)!.Value.VolumeType);

            var missing = await Assert.ThrowsAsync<RpcException>(() => client.StatAsync(new StatSnapshotRequest { Key = "nope" }, cancellationToken: cancel.Token).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, missing.StatusCode);
            var busy = await Assert.ThrowsAsync<RpcException>(() => client.RemoveAsync(new RemoveSnapshotRequest { Key = "sha256:c1" }, cancellationToken: cancel.Token).ResponseAsync);
            Assert.Equal(StatusCode.FailedPrecondition, busy.StatusCode);

            await client.RemoveAsync(new RemoveSnapshotRequest { Key = "k8s.io/2/ctr" }, cancellationToken: cancel.Token);
            await client.RemoveAsync(new RemoveSnapshotRequest { Key = "sha256:c1" }, cancellationToken: cancel.Token);
            var usage = await client.UsageAsync(new UsageRequest { Key = "nope" }, cancellationToken: cancel.Token).ResponseAsync.ContinueWith(t => t.Exception?.InnerException, TaskScheduler.Default);
            Assert.Equal(StatusCode.NotFound, Assert.IsType<RpcException>(usage).StatusCode);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }

        Assert.False(File.Exists(socket));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Temp.Combine("root", "snapshots")));
    }
}
