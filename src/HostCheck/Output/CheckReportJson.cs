using System.Buffers;
using System.Text.Json;

namespace Sealpod.HostCheck.Output;

/// <summary>
/// The machine-readable report, schema "sealpod-check/v1" (docs/sealpod-check.md). Written with Utf8JsonWriter so the
/// field order is fixed and no reflection is needed.
/// </summary>
public static class CheckReportJson
{
    public const string Schema = "sealpod-check/v1";

    public static string ToJson(CheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            Write(json, report);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter json, CheckReport report)
    {
        json.WriteStartObject();
        json.WriteString("schema", Schema);
        json.WriteBoolean("ready", report.Ready);
        json.WriteNumber("exitCode", report.ExitCode);

        json.WriteStartObject("host");
        json.WriteString("kernel", report.KernelRelease);
        json.WriteString("architecture", report.Architecture.ToText());
        json.WriteString("cpuVendor", report.CpuVendor);
        json.WriteString("cpuModel", report.CpuModel);
        json.WriteStartArray("guestProtections");
        foreach (var protection in report.GuestProtections)
        {
            json.WriteStringValue(protection.ToName());
        }

        json.WriteEndArray();
        json.WriteEndObject();

        WriteNullableString(json, "config", report.ConfigPath);
        json.WriteString("containerdConfig", report.ContainerdConfigPath);

        json.WriteStartObject("summary");
        foreach (var status in new[] { CheckStatus.Pass, CheckStatus.Warn, CheckStatus.Fail, CheckStatus.Skip })
        {
            json.WriteNumber(status.ToText().ToLowerInvariant(), report.Count(status));
        }

        json.WriteEndObject();

        json.WriteStartArray("checks");
        foreach (var result in report.Results)
        {
            json.WriteStartObject();
            json.WriteString("id", result.Id);
            json.WriteString("title", result.Title);
            json.WriteString("status", result.Status.ToText());
            json.WriteString("summary", result.Summary);
            json.WriteStartArray("evidence");
            foreach (var evidence in result.Evidence)
            {
                json.WriteStartObject();
                json.WriteString("source", evidence.Source);
                json.WriteString("value", evidence.Value);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteNullableString(json, "remedy", result.Remedy);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteNullableString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
