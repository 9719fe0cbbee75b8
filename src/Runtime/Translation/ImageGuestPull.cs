namespace Sealpod.Runtime.Translation;

/// <summary>
/// Kata's host side of pulling the image in the guest (virtcontainers/kata_agent.go,
/// handleImageGuestPullBlockVolume): when <c>experimental_force_guest_pull</c> is on, or a rootfs mount carries
/// nydus-snapshotter's <c>io.katacontainers.volume=&lt;base64 KataVirtualVolume JSON&gt;</c> with volume type
/// <c>image_guest_pull</c>, the container gets one storage: driver and fstype <c>image_guest_pull</c>/<c>overlay</c>,
/// source the image name from the CRI annotations (<c>pause</c> for the sandbox), driver option
/// <c>image_guest_pull={"metadata": {volume metadata + annotations}}</c> marshalled as Go does, mount point
/// <c>/run/kata-containers/&lt;id&gt;/rootfs</c>. Nothing of the image is read on the host.
/// </summary>
public static class ImageGuestPull
{
    public const string CriImageName = "io.kubernetes.cri.image-name";
    public const string CriOImageName = "io.kubernetes.cri-o.ImageName";
    public const string CriOContainerType = "io.kubernetes.cri-o.ContainerType";

    /// <summary>Kata's guest mount point for a pulled rootfs.</summary>
    public static string GuestRootfs(string containerId) => $"/run/kata-containers/{containerId}/rootfs";

    /// <summary>
    /// The metadata of the rootfs mounts' guest-pull volume: null when no mount carries one (or carries another
    /// volume type); a malformed option fails naming it.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? FindVolume(IReadOnlyList<RootfsMount> mounts)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        foreach (var mount in mounts)
        {
            if (mount.GetOption(GuestPullNames.VolumeOption) is not { } encoded)
            {
                continue;
            }

            byte[] json;
            try
            {
                json = Convert.FromBase64String(encoded);
            }
            catch (FormatException)
            {
                throw new Errors.InvalidArgumentException($"rootfs mount option {GuestPullNames.VolumeOption}: not base64 (standard alphabet, padded) of a KataVirtualVolume JSON object");
            }

            try
            {
                using var document = JsonDocument.Parse(json);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("volume_type", out var type) || type.ValueKind != JsonValueKind.String)
                {
                    throw new Errors.InvalidArgumentException($"rootfs mount option {GuestPullNames.VolumeOption}: a KataVirtualVolume needs a string volume_type");
                }

                if (type.GetString() != GuestPullNames.Driver)
                {
                    continue;
                }

                // Kata's Validate: an image_guest_pull volume has image_pull with a metadata object.
                if (!root.TryGetProperty("image_pull", out var pull) || pull.ValueKind != JsonValueKind.Object
                    || !pull.TryGetProperty("metadata", out var metadata) || metadata.ValueKind != JsonValueKind.Object)
                {
                    throw new Errors.InvalidArgumentException($"rootfs mount option {GuestPullNames.VolumeOption}: volume_type {GuestPullNames.Driver} needs image_pull.metadata, an object");
                }

                var result = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var property in metadata.EnumerateObject())
                {
                    result[property.Name] = property.Value.ValueKind == JsonValueKind.String
                        ? property.Value.GetString()!
                        : throw new Errors.InvalidArgumentException($"rootfs mount option {GuestPullNames.VolumeOption}: image_pull.metadata.{property.Name} must be a string");
                }

                return result;
            }
            catch (JsonException e)
            {
                throw new Errors.InvalidArgumentException($"rootfs mount option {GuestPullNames.VolumeOption}: not a KataVirtualVolume JSON object: {e.Message}");
            }
        }

        return null;
    }

    /// <summary>The image the guest pulls: <c>pause</c> for the sandbox, else the CRI (or CRI-O) image-name annotation.</summary>
    public static string ImageName(bool isSandbox, IReadOnlyDictionary<string, string> annotations)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        if (isSandbox)
        {
            return GuestPullNames.PauseImage;
        }

        // Kata reads CRI-O's key when CRI-O's container-type annotation is there, containerd's otherwise.
        var key = annotations.ContainsKey(CriOContainerType) ? CriOImageName : CriImageName;
        return annotations.TryGetValue(key, out var image) && image.Length > 0
            ? image
            : throw new Errors.InvalidArgumentException($"guest pull: annotation {key} (the image to pull in the guest) is missing or empty");
    }

    public static Storage StorageFor(string containerId, bool isSandbox, IReadOnlyDictionary<string, string> annotations, IReadOnlyDictionary<string, string>? volumeMetadata)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        var source = ImageName(isSandbox, annotations);
        var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in volumeMetadata ?? new Dictionary<string, string>())
        {
            metadata[key] = value;
        }

        foreach (var (key, value) in annotations)
        {
            metadata[key] = value;
        }

        return new Storage
        {
            Driver = GuestPullNames.Driver,
            DriverOptions = [GuestPullNames.DriverOptionPrefix + GoJson(metadata)],
            Source = source,
            FsType = "overlay",
            MountPoint = GuestRootfs(containerId),
        };
    }

    /// <summary><c>{"metadata":{...}}</c> as Go's encoding/json writes a map: keys sorted, &lt; &gt; &amp; escaped.</summary>
    private static string GoJson(SortedDictionary<string, string> metadata)
    {
        var builder = new StringBuilder("{\"metadata\":{");
        var first = true;
        foreach (var (key, value) in metadata)
        {
            if (!first)
            {
                builder.Append(',');
            }

            first = false;
            AppendString(builder, key);
            builder.Append(':');
            AppendString(builder, value);
        }

        return builder.Append("}}").ToString();
    }

    private static void AppendString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case < ' ' or '<' or '>' or '&' or '\u2028' or '\u2029':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: builder.Append(c); break;
            }
        }

        builder.Append('"');
    }
}
