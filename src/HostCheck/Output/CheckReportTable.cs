namespace Sealpod.HostCheck.Output;

/// <summary>
/// The human report: one aligned row per check (status, id, what was found), then for WARN and FAIL rows (or every
/// row when verbose) the evidence and the remedy on indented lines, and a one-line verdict.
/// </summary>
public static class CheckReportTable
{
    public static void Write(TextWriter writer, CheckReport report, Ansi ansi, bool verbose)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(ansi);
        writer.WriteLine(ansi.Bold($"sealpod check: {report.CpuVendor} {report.CpuModel} ({report.Architecture.ToText()}), kernel {report.KernelRelease}"));
        writer.WriteLine($"guest protections: {string.Join(", ", report.GuestProtections.Select(p => p.ToName()))}");
        writer.WriteLine($"configuration: {report.ConfigPath ?? "none"}; containerd: {report.ContainerdConfigPath}");
        writer.WriteLine();

        var idWidth = Math.Max("CHECK".Length, report.Results.Max(r => r.Id.Length));
        writer.WriteLine(ansi.Bold($"{"STATUS",-6}  {"CHECK".PadRight(idWidth)}  RESULT"));
        var indent = new string(' ', 6 + 2 + idWidth + 2);
        foreach (var result in report.Results)
        {
            // Pad the plain text, then colour it, so escape codes do not upset the alignment.
            var status = ansi.Status(result.Status) + new string(' ', 6 - result.Status.ToText().Length);
            writer.WriteLine($"{status}  {result.Id.PadRight(idWidth)}  {result.Summary}");
            if (verbose || result.Status is CheckStatus.Warn or CheckStatus.Fail)
            {
                foreach (var evidence in result.Evidence)
                {
                    writer.WriteLine(indent + ansi.Dim($"{evidence.Source}: {evidence.Value}"));
                }

                if (result.Remedy is { } remedy)
                {
                    writer.WriteLine($"{indent}remedy: {remedy}");
                }
            }
        }

        writer.WriteLine();
        var verdict = report.Ready
            ? report.Count(CheckStatus.Warn) > 0 ? "ready, with warnings" : "ready"
            : "NOT ready";
        writer.WriteLine(
            $"{report.Results.Count} checks: {report.Count(CheckStatus.Pass)} PASS, {report.Count(CheckStatus.Warn)} WARN, "
            + $"{report.Count(CheckStatus.Fail)} FAIL, {report.Count(CheckStatus.Skip)} SKIP: {ansi.Bold(verdict)}");
    }
}
