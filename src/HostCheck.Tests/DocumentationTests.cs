namespace Sealpod.HostCheck.Tests;

/// <summary>docs/sealpod-check.md documents every check id and every JSON field the CLI writes.</summary>
public sealed class DocumentationTests
{
    private static readonly string s_document = File.ReadAllText(Path.Combine(FixturePaths.Directory, "..", "..", "..", "docs", "sealpod-check.md"));

    [Fact]
    public void Every_check_id_is_documented_with_its_title()
    {
        foreach (var (id, title) in CheckIds.All)
        {
            Assert.Contains($"| `{id}` | {title} |", s_document, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("schema")]
    [InlineData("ready")]
    [InlineData("exitCode")]
    [InlineData("host")]
    [InlineData("kernel")]
    [InlineData("architecture")]
    [InlineData("cpuVendor")]
    [InlineData("cpuModel")]
    [InlineData("guestProtections")]
    [InlineData("config")]
    [InlineData("containerdConfig")]
    [InlineData("summary")]
    [InlineData("checks")]
    [InlineData("id")]
    [InlineData("title")]
    [InlineData("status")]
    [InlineData("evidence")]
    [InlineData("source")]
    [InlineData("value")]
    [InlineData("remedy")]
    [InlineData("guestProtection")]
    [InlineData("kvmUsable")]
    [InlineData("versions")]
    [InlineData("dropIns")]
    [InlineData("effective")]
    [InlineData("errors")]
    public void Json_field_is_documented(string field) =>
        Assert.Contains($"`{field}`", s_document, StringComparison.Ordinal);
}
