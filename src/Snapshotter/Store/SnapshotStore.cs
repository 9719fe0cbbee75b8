using Sealpod.Snapshotter.GuestPull;

namespace Sealpod.Snapshotter.Store;

/// <summary>
/// The snapshotter's logic, behind the gRPC service: containerd's snapshot model (active, view, committed; parents;
/// labels) over directories under <c>ROOT/snapshots/ID</c>, persisted in <c>ROOT/state.json</c> after every change.
/// Image layers CRI labels for remote snapshotters (<see cref="GuestPullLabels"/>) are recorded committed and empty:
/// Prepare answers AlreadyExists, so containerd's unpacker neither fetches nor applies them, and an active snapshot on
/// top of them mounts with Kata's guest-pull volume option. Anything else is an overlay snapshotter like containerd's.
/// One operation at a time (a semaphore): containerd's calls are short and the state file is rewritten by each.
/// </summary>
public sealed class SnapshotStore : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly SnapshotStateFile _file;
    private readonly TimeProvider _clock;
    private readonly Dictionary<string, SnapshotRecord> _snapshots;
    private long _nextId;

    private SnapshotStore(string root, SnapshotStateFile file, SnapshotState state, TimeProvider clock)
    {
        Root = root;
        _file = file;
        _clock = clock;
        _nextId = state.NextId;
        _snapshots = state.Snapshots.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    public string Root { get; }

    public string SnapshotsDirectory => Path.Combine(Root, "snapshots");

    /// <summary>Opens (or creates) the store in <paramref name="root"/>, with what an earlier run left.</summary>
    public static async Task<SnapshotStore> OpenAsync(string root, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        root = Path.GetFullPath(root);
        Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Path.Combine(root, "snapshots"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var file = new SnapshotStateFile(Path.Combine(root, "state.json"));
        var state = await file.LoadAsync(cancellationToken).ConfigureAwait(false);
        return new SnapshotStore(root, file, state, clock ?? TimeProvider.System);
    }

    public void Dispose() => _lock.Dispose();

    public Task<IReadOnlyList<SnapshotMount>> PrepareAsync(string key, string parent, IReadOnlyDictionary<string, string>? labels, CancellationToken cancellationToken) =>
        CreateAsync(key, parent, labels, SnapshotKind.Active, cancellationToken);

    public Task<IReadOnlyList<SnapshotMount>> ViewAsync(string key, string parent, IReadOnlyDictionary<string, string>? labels, CancellationToken cancellationToken) =>
        CreateAsync(key, parent, labels, SnapshotKind.View, cancellationToken);

    public async Task<IReadOnlyList<SnapshotMount>> MountsAsync(string key, CancellationToken cancellationToken)
    {
        SnapshotInput.Key(key, "key");
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return MountsOf(Get(key));
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<SnapshotRecord> StatAsync(string key, CancellationToken cancellationToken)
    {
        SnapshotInput.Key(key, "key");
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Get(key);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task CommitAsync(string name, string key, IReadOnlyDictionary<string, string>? labels, CancellationToken cancellationToken)
    {
        SnapshotInput.Key(name, "name");
        SnapshotInput.Key(key, "key");
        var copied = SnapshotInput.Labels(labels);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var active = Get(key);
            if (active.Kind != SnapshotKind.Active)
            {
                throw new SnapshotException(SnapshotError.FailedPrecondition, $"snapshot \"{key}\" is {active.Kind.ToString().ToLowerInvariant()}: only an active snapshot can be committed");
            }

            if (_snapshots.ContainsKey(name))
            {
                throw new SnapshotException(SnapshotError.AlreadyExists, $"snapshot \"{name}\" already exists");
            }

            var now = _clock.GetUtcNow();
            _snapshots.Remove(key);
            _snapshots[name] = active with { Name = name, Kind = SnapshotKind.Committed, Updated = now, Labels = copied };
            await SaveAsync(cancellationToken).ConfigureAwait(false);
            DeleteTree(Path.Combine(DirectoryOf(active), "work"));
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        SnapshotInput.Key(key, "key");
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var snapshot = Get(key);
            var child = _snapshots.Values.FirstOrDefault(s => s.Parent == key);
            if (child is not null)
            {
                throw new SnapshotException(SnapshotError.FailedPrecondition, $"snapshot \"{key}\" has a child (\"{child.Name}\"): remove it first");
            }

            _snapshots.Remove(key);
            await SaveAsync(cancellationToken).ConfigureAwait(false);
            DeleteTree(DirectoryOf(snapshot));
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Updates the labels: no paths replaces them all (the only mutable field), "labels" likewise, "labels.KEY" sets
    /// or (absent from <paramref name="labels"/>) removes one.
    /// </summary>
    public async Task<SnapshotRecord> UpdateAsync(string name, IReadOnlyDictionary<string, string>? labels, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        SnapshotInput.Key(name, "info.name");
        var given = SnapshotInput.Labels(labels);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var snapshot = Get(name);
            Dictionary<string, string> updated;
            if (paths.Count == 0 || paths.Contains("labels"))
            {
                updated = given;
            }
            else
            {
                updated = new Dictionary<string, string>(snapshot.Labels, StringComparer.Ordinal);
                foreach (var path in paths)
                {
                    if (!path.StartsWith("labels.", StringComparison.Ordinal) || path.Length == "labels.".Length)
                    {
                        throw new SnapshotException(SnapshotError.InvalidArgument, $"update_mask: cannot update \"{path}\": expected \"labels\" or \"labels.<key>\" (name, parent, kind and created are immutable)");
                    }

                    string label = path["labels.".Length..];
                    if (given.TryGetValue(label, out var value))
                    {
                        updated[label] = value;
                    }
                    else
                    {
                        updated.Remove(label);
                    }
                }
            }

            var result = snapshot with { Labels = SnapshotInput.Labels(updated), Updated = _clock.GetUtcNow() };
            _snapshots[name] = result;
            await SaveAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<SnapshotUsage> UsageAsync(string key, CancellationToken cancellationToken)
    {
        SnapshotInput.Key(key, "key");
        string directory;
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            directory = Path.Combine(DirectoryOf(Get(key)), "fs");
        }
        finally
        {
            _lock.Release();
        }

        return DirectoryUsage.Of(directory);
    }

    /// <summary>The snapshots <paramref name="filter"/> accepts, in name order.</summary>
    public async Task<IReadOnlyList<SnapshotRecord>> ListAsync(Func<SnapshotRecord, bool> filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _snapshots.Values.Where(filter).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Removes directories no snapshot owns (left by a crash between a state change and the deletion).</summary>
    public async Task<IReadOnlyList<string>> CleanupAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var owned = _snapshots.Values.Select(s => s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
            var removed = new List<string>();
            foreach (var directory in Directory.EnumerateFileSystemEntries(SnapshotsDirectory))
            {
                if (!owned.Contains(Path.GetFileName(directory)))
                {
                    DeleteTree(directory);
                    removed.Add(directory);
                }
            }

            return removed;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<IReadOnlyList<SnapshotMount>> CreateAsync(string key, string parent, IReadOnlyDictionary<string, string>? labels, SnapshotKind kind, CancellationToken cancellationToken)
    {
        SnapshotInput.Key(key, "key");
        var copied = SnapshotInput.Labels(labels);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_snapshots.ContainsKey(key))
            {
                throw new SnapshotException(SnapshotError.AlreadyExists, $"snapshot \"{key}\" already exists");
            }

            SnapshotRecord? parentRecord = null;
            if (parent.Length > 0)
            {
                parentRecord = _snapshots.GetValueOrDefault(parent)
                    ?? throw new SnapshotException(SnapshotError.NotFound, $"parent snapshot \"{parent}\" does not exist");
                if (parentRecord.Kind != SnapshotKind.Committed)
                {
                    throw new SnapshotException(SnapshotError.InvalidArgument, $"parent snapshot \"{parent}\" is {parentRecord.Kind.ToString().ToLowerInvariant()}: expected a committed snapshot");
                }
            }

            if (kind == SnapshotKind.Active && GuestPullLabels.IsImageLayer(copied) && (parentRecord is null || parentRecord.GuestPull))
            {
                await RecordGuestPullLayerAsync(copied, parent, cancellationToken).ConfigureAwait(false);
            }

            var now = _clock.GetUtcNow();
            var record = new SnapshotRecord(key, _nextId++, parent, kind, now, now, copied, GuestPull: false);
            string directory = DirectoryOf(record);
            Directory.CreateDirectory(Path.Combine(directory, "fs"));
            if (kind == SnapshotKind.Active)
            {
                Directory.CreateDirectory(Path.Combine(directory, "work"));
            }

            _snapshots[key] = record;
            try
            {
                await SaveAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                _snapshots.Remove(key);
                DeleteTree(directory);
                throw;
            }

            return MountsOf(record);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// The remote-snapshotter answer: the layer is committed under the target name containerd asked for, empty, and
    /// Prepare fails with AlreadyExists, which containerd's unpacker takes as "this layer is there" (it then finds it
    /// by listing snapshot.ref and parent). Always throws.
    /// </summary>
    private async Task RecordGuestPullLayerAsync(Dictionary<string, string> labels, string parent, CancellationToken cancellationToken)
    {
        string target = labels[GuestPullLabels.TargetSnapshotRef];
        if (!_snapshots.ContainsKey(target))
        {
            var now = _clock.GetUtcNow();
            var record = new SnapshotRecord(target, _nextId++, parent, SnapshotKind.Committed, now, now, labels, GuestPull: true);
            Directory.CreateDirectory(Path.Combine(DirectoryOf(record), "fs"));
            _snapshots[target] = record;
            await SaveAsync(cancellationToken).ConfigureAwait(false);
        }

        throw new SnapshotException(SnapshotError.AlreadyExists, $"target snapshot \"{target}\": layer {labels[GuestPullLabels.LayerDigest]} of {labels[GuestPullLabels.ImageRef]} is pulled in the guest");
    }

    /// <summary>
    /// containerd's overlay mounts (a bind for no parent or a view of one, overlay otherwise), or, over a guest-pulled
    /// image, nydus's fuse.nydus-overlayfs mount carrying the guest-pull volume option with the top layer's labels.
    /// </summary>
    private List<SnapshotMount> MountsOf(SnapshotRecord snapshot)
    {
        var ancestors = new List<SnapshotRecord>();
        for (string parent = snapshot.Parent; parent.Length > 0; parent = ancestors[^1].Parent)
        {
            ancestors.Add(_snapshots.GetValueOrDefault(parent)
                ?? throw new SnapshotException(SnapshotError.FailedPrecondition, $"snapshot \"{snapshot.Name}\": ancestor \"{parent}\" is missing from the store"));
        }

        bool writable = snapshot.Kind == SnapshotKind.Active;
        string own = DirectoryOf(snapshot);
        string lower = "lowerdir=" + string.Join(':', (snapshot.Kind == SnapshotKind.Committed ? ancestors.Prepend(snapshot) : ancestors).Select(a => Path.Combine(DirectoryOf(a), "fs")));
        var guestPull = snapshot.GuestPull ? snapshot : ancestors.FirstOrDefault(a => a.GuestPull);
        if (guestPull is not null)
        {
            var options = writable
                ? new List<string> { "workdir=" + Path.Combine(own, "work"), "upperdir=" + Path.Combine(own, "fs"), lower }
                : new List<string> { "ro", lower };
            options.Add(KataVirtualVolume.GuestPullOption(guestPull.Labels));
            return [new SnapshotMount("fuse.nydus-overlayfs", "overlay", options)];
        }

        if (ancestors.Count == 0)
        {
            return [new SnapshotMount("bind", Path.Combine(own, "fs"), [writable ? "rw" : "ro", "rbind"])];
        }

        if (writable)
        {
            return [new SnapshotMount("overlay", "overlay", ["workdir=" + Path.Combine(own, "work"), "upperdir=" + Path.Combine(own, "fs"), lower])];
        }

        return ancestors.Count == 1 && snapshot.Kind == SnapshotKind.View
            ? [new SnapshotMount("bind", Path.Combine(DirectoryOf(ancestors[0]), "fs"), ["ro", "rbind"])]
            : [new SnapshotMount("overlay", "overlay", ["ro", lower])];
    }

    private SnapshotRecord Get(string key) =>
        _snapshots.GetValueOrDefault(key) ?? throw new SnapshotException(SnapshotError.NotFound, $"snapshot \"{key}\" does not exist");

    private string DirectoryOf(SnapshotRecord snapshot) =>
        Path.Combine(SnapshotsDirectory, snapshot.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private Task SaveAsync(CancellationToken cancellationToken) =>
        _file.SaveAsync(new SnapshotState(_nextId, _snapshots.Values.OrderBy(s => s.Id).ToList()), cancellationToken);

    /// <summary>Deletes a snapshot's directory; symbolic links inside are removed, never followed.</summary>
    private static void DeleteTree(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
