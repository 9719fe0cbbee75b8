namespace Sealpod.HostCheck.Output;

/// <summary>ANSI colours, applied only when enabled (stdout is a terminal and NO_COLOR is unset).</summary>
public sealed class Ansi(bool enabled)
{
    public bool Enabled { get; } = enabled;

    public string Status(CheckStatus status) => Paint(status.ToText(), status switch
    {
        CheckStatus.Pass => "32",
        CheckStatus.Warn => "33",
        CheckStatus.Fail => "1;31",
        _ => "2",
    });

    public string Dim(string text) => Paint(text, "2");

    public string Bold(string text) => Paint(text, "1");

    private string Paint(string text, string code) => Enabled ? $"\u001b[{code}m{text}\u001b[0m" : text;
}
