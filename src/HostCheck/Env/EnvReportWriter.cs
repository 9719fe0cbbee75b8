using System.Buffers;
using System.Text.Json;
using Sealpod.HostCheck.Output;

namespace Sealpod.HostCheck.Env;

/// <summary>Renders <c>sealpod env</c> as aligned text or as JSON (schema "sealpod-env/v1", docs/sealpod-check.md).</summary>
public static class EnvReportWriter
{
    public const string Schema = "sealpod-env/v1";

    public static void WriteText(TextWriter writer, EnvReport report, Ansi ansi)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(ansi);
        writer.WriteLine(ansi.Bold("[Host]"));
        writer.WriteLine($"  CPU = {report.CpuVendor} {report.CpuModel} ({report.Architecture.ToText()})");
        writer.WriteLine($"  KVM usable = {(report.KvmUsable ? "true" : "false")}");
        writer.WriteLine($"  guest protection = {report.BestProtection.ToName()}");
        writer.WriteLine($"  guest protections available = {string.Join(", ", report.GuestProtections.Select(p => p.ToName()))}");
        writer.WriteLine();
        writer.WriteLine(ansi.Bold("[Versions]"));
        var width = report.Versions.Max(v => v.Component.Length);
        foreach (var version in report.Versions)
        {
            writer.WriteLine($"  {version.Component.PadRight(width)} = {version.Version ?? "unknown"}  {ansi.Dim($"({version.Source})")}");
        }

        writer.WriteLine();
        writer.WriteLine(ansi.Bold("[Configuration]"));
        var config = report.Config;
        if (config.Facts is { } facts)
        {
            writer.WriteLine($"  file = {facts.Path}");
            foreach (var dropIn in facts.DropIns)
            {
                writer.WriteLine($"  drop-in = {dropIn}");
            }

            writer.WriteLine($"  tee = {facts.Tee.ToName()}");
            foreach (var (key, value) in facts.Effective)
            {
                writer.WriteLine($"  {key} = {value}");
            }
        }
        else if (config.Errors.Count > 0)
        {
            writer.WriteLine($"  file = {config.Path} (invalid)");
            foreach (var error in config.Errors)
            {
                writer.WriteLine($"  error: {error}");
            }
        }
        else
        {
            writer.WriteLine($"  none found (searched {string.Join(", ", config.Searched)})");
        }
    }

    public static string ToJson(EnvReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("schema", Schema);

            json.WriteStartObject("host");
            json.WriteString("architecture", report.Architecture.ToText());
            json.WriteString("cpuVendor", report.CpuVendor);
            json.WriteString("cpuModel", report.CpuModel);
            json.WriteBoolean("kvmUsable", report.KvmUsable);
            json.WriteString("guestProtection", report.BestProtection.ToName());
            json.WriteStartArray("guestProtections");
            foreach (var protection in report.GuestProtections)
            {
                json.WriteStringValue(protection.ToName());
            }

            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartObject("versions");
            foreach (var version in report.Versions)
            {
                json.WriteStartObject(version.Component);
                if (version.Version is null)
                {
                    json.WriteNull("version");
                }
                else
                {
                    json.WriteString("version", version.Version);
                }

                json.WriteString("source", version.Source);
                json.WriteEndObject();
            }

            json.WriteEndObject();

            json.WriteStartObject("config");
            var config = report.Config;
            if (config.Path is null)
            {
                json.WriteNull("path");
            }
            else
            {
                json.WriteString("path", config.Path);
            }

            json.WriteStartArray("dropIns");
            foreach (var dropIn in config.Facts?.DropIns ?? [])
            {
                json.WriteStringValue(dropIn);
            }

            json.WriteEndArray();
            if (config.Facts is { } facts)
            {
                json.WriteString("tee", facts.Tee.ToName());
            }
            else
            {
                json.WriteNull("tee");
            }

            json.WriteStartArray("errors");
            foreach (var error in config.Errors)
            {
                json.WriteStringValue(error);
            }

            json.WriteEndArray();
            json.WriteStartObject("effective");
            foreach (var (key, value) in config.Facts?.Effective ?? [])
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
