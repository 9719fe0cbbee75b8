using System.Text;

namespace Sealpod.Config.Tests.Toml;

/// <summary>Byte input (files, Init-Data): UTF-8 only, a leading BOM allowed, bad bytes reported where they are.</summary>
public sealed class TomlUtf8Tests : TempDirectoryTest
{
    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Temp.Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void ParseFile_reports_invalid_utf8_with_path_line_and_column()
    {
        // Line 2, after "k = \"é" (é is one column but two bytes): the stray 0xFF is column 7.
        var bytes = Encoding.UTF8.GetBytes("a = 1\nk = \"é").Concat(new byte[] { 0xFF }).Concat(Encoding.UTF8.GetBytes("\"\n")).ToArray();
        var path = Write("bad.toml", bytes);
        var e = Assert.Throws<TomlException>(() => TomlReader.ParseFile(path));
        Assert.Equal(new TomlPosition(path, 2, 7), e.Position);
        Assert.Contains("invalid UTF-8", e.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"{path}:2:7: ", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0x3D, 0x22, 0xED, 0xA0, 0x80, 0x22 }, 4)] // UTF-8 encoded surrogate
    [InlineData(new byte[] { 0x61, 0x3D, 0x22, 0xC0, 0xAF, 0x22 }, 4)] // overlong '/'
    [InlineData(new byte[] { 0x61, 0x3D, 0x22, 0xE2, 0x82 }, 4)] // truncated at end of input
    [InlineData(new byte[] { 0xFF, 0xFE, 0x61, 0x00 }, 1)] // UTF-16 BOM
    public void Invalid_utf8_sequences_are_rejected(byte[] bytes, int column)
    {
        var e = Assert.Throws<TomlException>(() => TomlReader.Parse(bytes));
        Assert.Equal(new TomlPosition(null, 1, column), e.Position);
    }

    [Fact]
    public void Bom_is_skipped_and_takes_no_column()
    {
        var path = Write("bom.toml", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("a = \"é\"\nb = [")]);
        var e = Assert.Throws<TomlException>(() => TomlReader.ParseFile(path));
        Assert.Equal(path, e.Position.File);
        Assert.Equal(2, e.Position.Line);

        var doc = TomlReader.Parse([0xEF, 0xBB, 0xBF, .. "a = \"é\""u8]);
        Assert.Equal("é", ((TomlString)doc["a"]).Value);
        Assert.Equal(new TomlPosition(null, 1, 1), doc.GetKeyPosition("a"));
        Assert.Equal(new TomlPosition(null, 1, 5), doc["a"].Position);
    }

    [Fact]
    public void Bom_after_the_start_is_an_error()
    {
        var e = Assert.Throws<TomlException>(() => TomlReader.Parse([.. "a = 1\n"u8, 0xEF, 0xBB, 0xBF, .. "b = 2"u8]));
        Assert.Equal(2, e.Position.Line);
    }

    [Fact]
    public async Task ParseFileAsync_reads_the_file_and_labels_values_with_its_path()
    {
        var path = Write("ok.toml", Encoding.UTF8.GetBytes("[runtime]\nenable_debug = true\n"));
        var doc = await TomlReader.ParseFileAsync(path);
        var runtime = Assert.IsType<TomlTable>(doc["runtime"]);
        Assert.True(((TomlBoolean)runtime["enable_debug"]).Value);
        Assert.Equal(new TomlPosition(path, 2, 16), runtime["enable_debug"].Position);
    }
}
