using System.Text.Encodings.Web;

namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// <c>-object {"qom-type":"tdx-guest","id":"tdx",...}</c> (QAPI <c>TdxGuestProperties</c>, QEMU 10.1+). JSON because
/// <c>quote-generation-socket</c> is a QAPI <c>SocketAddress</c>, which the key=value syntax cannot express.
/// <c>mrconfigid</c> carries the Init-Data digest into the TD quote.
/// </summary>
public sealed record TdxGuest : ProtectionDevice
{
    /// <summary>The object id the machine's <c>confidential-guest-support</c> names (Kata's).</summary>
    public const string Id = "tdx";

    /// <inheritdoc />
    public override string? ObjectId => Id;

    /// <summary><c>sept-ve-disable</c>: Linux guests require EPT-violation #VE off.</summary>
    public bool SeptVeDisable { get; init; } = true;

    /// <summary><c>mrconfigid</c>: 48 bytes, rendered as base64.</summary>
    public IReadOnlyList<byte>? MrConfigId { get; init; }

    /// <summary><c>quote-generation-socket</c>: a unix path, or null when <see cref="QgsVsockPort"/> is used.</summary>
    public string? QgsUnixPath { get; init; }

    /// <summary>The QGS vsock CID (with <see cref="QgsVsockPort"/>).</summary>
    public uint QgsVsockCid { get; init; } = 2;

    /// <summary>The QGS vsock port; null when <see cref="QgsUnixPath"/> is used or there is no QGS.</summary>
    public uint? QgsVsockPort { get; init; }

    /// <inheritdoc />
    public override IEnumerable<string> Render() => Render(redactMrConfigId: false);

    /// <inheritdoc />
    public override IEnumerable<string> RenderForLog() => Render(redactMrConfigId: true);

    private string[] Render(bool redactMrConfigId)
    {
        if (MrConfigId is { Count: not 48 })
        {
            throw new InvalidOperationException($"tdx-guest: mrconfigid must be 48 bytes, not {MrConfigId.Count}");
        }

        using var buffer = new MemoryStream();
        // Relaxed escaping keeps base64's '+' readable in the argv; QEMU parses either form.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("qom-type", "tdx-guest");
            json.WriteString("id", Id);
            json.WriteBoolean("sept-ve-disable", SeptVeDisable);
            if (MrConfigId is not null)
            {
                json.WriteString("mrconfigid", redactMrConfigId ? KernelParameterRedaction.Placeholder : Convert.ToBase64String([.. MrConfigId]));
            }

            if (QgsUnixPath is not null)
            {
                json.WriteStartObject("quote-generation-socket");
                json.WriteString("type", "unix");
                json.WriteString("path", QgsUnixPath);
                json.WriteEndObject();
            }
            else if (QgsVsockPort is { } port)
            {
                // QAPI's VsockSocketAddress takes cid and port as strings.
                json.WriteStartObject("quote-generation-socket");
                json.WriteString("type", "vsock");
                json.WriteString("cid", QgsVsockCid.ToString(System.Globalization.CultureInfo.InvariantCulture));
                json.WriteString("port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return ["-object", Encoding.UTF8.GetString(buffer.ToArray())];
    }
}
