using System.Text;
using System.Text.Json;
using Sealpod.Contract.Guest;

namespace Sealpod.Snapshotter.GuestPull;

/// <summary>
/// The `io.katacontainers.volume=` mount option nydus-snapshotter's proxy (guest-pull) mode puts on a container's
/// rootfs mount and Kata's runtime reads (kata-types KataVirtualVolume; nydus snapshot/mount_option.go): base64
/// (standard alphabet, padded) of the JSON {"volume_type":"image_guest_pull","options":["k=v",…],
/// "image_pull":{"metadata":{…}}}. Field order and omissions are Go's encoding/json of that struct (source and
/// fs_type empty, so omitted); map keys sorted as Go sorts them (ordinal).
/// </summary>
public static class KataVirtualVolume
{
    /// <summary>The JSON of an image_guest_pull volume whose metadata (and "k=v" options) are <paramref name="labels"/>.</summary>
    public static byte[] GuestPullJson(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var sorted = labels.OrderBy(l => l.Key, StringComparer.Ordinal).ToList();
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("volume_type", GuestPullNames.Driver);
            if (sorted.Count > 0)
            {
                json.WriteStartArray("options");
                foreach (var (key, value) in sorted)
                {
                    json.WriteStringValue(key + "=" + value);
                }

                json.WriteEndArray();
            }

            json.WriteStartObject("image_pull");
            json.WriteStartObject("metadata");
            foreach (var (key, value) in sorted)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The whole mount option: <c>io.katacontainers.volume=BASE64</c>.</summary>
    public static string GuestPullOption(IReadOnlyDictionary<string, string> labels) =>
        GuestPullNames.VolumeOption + "=" + Convert.ToBase64String(GuestPullJson(labels));

    /// <summary>Reads an option back: the volume type and the metadata, or null when it is not this option.</summary>
    public static (string VolumeType, IReadOnlyDictionary<string, string> Metadata)? Parse(string option)
    {
        ArgumentNullException.ThrowIfNull(option);
        if (!option.StartsWith(GuestPullNames.VolumeOption + "=", StringComparison.Ordinal))
        {
            return null;
        }

        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(option[(GuestPullNames.VolumeOption.Length + 1)..])));
        var root = document.RootElement;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("image_pull", out var pull) && pull.TryGetProperty("metadata", out var meta))
        {
            foreach (var property in meta.EnumerateObject())
            {
                metadata[property.Name] = property.Value.GetString() ?? string.Empty;
            }
        }

        return (root.GetProperty("volume_type").GetString() ?? string.Empty, metadata);
    }
}
