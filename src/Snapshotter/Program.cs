using Sealpod.Snapshotter.Hosting;

try
{
    var options = SnapshotterOptions.Parse(args);
    using var store = await SnapshotStore.OpenAsync(options.Root).ConfigureAwait(false);
    await using var app = SnapshotterHost.Build(options, store);
    await app.RunAsync().ConfigureAwait(false);
    return 0;
}
catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException)
{
    await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
    return 2;
}
