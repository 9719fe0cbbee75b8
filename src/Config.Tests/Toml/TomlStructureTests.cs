namespace Sealpod.Config.Tests.Toml;

/// <summary>
/// The shapes Kata files use, read through Tomlyn: headers, implicit parents, dotted keys, inline tables, arrays of
/// tables, key order, and the key and value positions every configuration error is reported at.
/// </summary>
public sealed class TomlStructureTests
{
    [Fact]
    public void Keys_keep_definition_order_across_headers_and_dotted_keys()
    {
        var doc = TomlReader.Parse("""
            zeta = 1
            alpha = 2
            [table.z]
            [table.a]
            x.y = 1
            m = 2
            [[list]]
            [middle]
            """);
        Assert.Equal(["zeta", "alpha", "table", "list", "middle"], doc.Keys);
        var table = Assert.IsType<TomlTable>(doc["table"]);
        Assert.Equal(["z", "a"], table.Keys);
        Assert.Equal(["x", "m"], Assert.IsType<TomlTable>(table["a"]).Keys);
    }

    [Fact]
    public void Implicit_parent_can_be_defined_later_and_sub_tables_added_after_dotted_keys()
    {
        var doc = TomlReader.Parse("""
            [a.b.c]
            x = 1
            [a]
            y = 2
            [fruit]
            apple.color = "red"
            apple.taste.sweet = true
            [fruit.apple.texture]
            smooth = true
            """, "cfg.toml");
        var a = Assert.IsType<TomlTable>(doc["a"]);
        Assert.Equal(["b", "y"], a.Keys);
        Assert.Equal(new TomlPosition("cfg.toml", 3, 1), a.Position); // its own header, once it has one
        Assert.Equal(new TomlPosition("cfg.toml", 1, 2), doc.GetKeyPosition("a")); // where it was first named
        var apple = Assert.IsType<TomlTable>(Assert.IsType<TomlTable>(doc["fruit"])["apple"]);
        Assert.Equal(["color", "taste", "texture"], apple.Keys);
    }

    [Fact]
    public void Arrays_of_tables_with_sub_tables_and_nested_arrays()
    {
        var doc = TomlReader.Parse("""
            [[fruits]]
            name = "apple"
            [fruits.physical]
            color = "red"
            [[fruits.varieties]]
            name = "red delicious"
            [[fruits.varieties]]
            name = "granny smith"
            [[fruits]]
            name = "banana"
            [[fruits.varieties]]
            name = "plantain"
            """);
        var fruits = Assert.IsType<TomlArray>(doc["fruits"]);
        Assert.Equal(2, fruits.Count);
        var apple = Assert.IsType<TomlTable>(fruits[0]);
        Assert.Equal("red", ((TomlString)((TomlTable)apple["physical"])["color"]).Value);
        Assert.Equal(2, Assert.IsType<TomlArray>(apple["varieties"]).Count);
        var banana = Assert.IsType<TomlTable>(fruits[1]);
        Assert.Single(Assert.IsType<TomlArray>(banana["varieties"]));
    }

    [Fact]
    public void Key_positions_point_at_the_key_and_value_positions_at_the_value()
    {
        var doc = TomlReader.Parse("""
            # comment
            name   = "x"
            [server . "quoted.key"]
              port = 8080
            [[items]]
            a.b = true
            """, "cfg.toml");

        Assert.Equal(new TomlPosition("cfg.toml", 2, 1), doc.GetKeyPosition("name"));
        Assert.Equal(new TomlPosition("cfg.toml", 2, 10), doc["name"].Position);

        var server = Assert.IsType<TomlTable>(doc["server"]);
        Assert.Equal(new TomlPosition("cfg.toml", 3, 2), doc.GetKeyPosition("server"));
        Assert.Equal(new TomlPosition("cfg.toml", 3, 11), server.GetKeyPosition("quoted.key"));
        var quoted = Assert.IsType<TomlTable>(server["quoted.key"]);
        Assert.Equal(new TomlPosition("cfg.toml", 3, 1), quoted.Position); // the header
        Assert.Equal(new TomlPosition("cfg.toml", 4, 3), quoted.GetKeyPosition("port"));
        Assert.Equal(new TomlPosition("cfg.toml", 4, 10), quoted["port"].Position);

        var item = Assert.IsType<TomlTable>(Assert.IsType<TomlArray>(doc["items"])[0]);
        Assert.Equal(new TomlPosition("cfg.toml", 5, 1), item.Position);
        var a = Assert.IsType<TomlTable>(item["a"]);
        Assert.Equal(new TomlPosition("cfg.toml", 6, 1), item.GetKeyPosition("a"));
        Assert.Equal(new TomlPosition("cfg.toml", 6, 3), a.GetKeyPosition("b"));
    }

    [Fact]
    public void Columns_count_unicode_scalars_and_lines_count_crlf_once()
    {
        var doc = TomlReader.Parse("a = \"😀😀\"\r\n\tb = 1 # ü\r\nc = '''x\r\ny'''\r\nd = 2");
        Assert.Equal(new TomlPosition(null, 1, 1), doc.GetKeyPosition("a"));
        Assert.Equal(new TomlPosition(null, 2, 2), doc.GetKeyPosition("b")); // a tab is one column
        Assert.Equal(new TomlPosition(null, 2, 6), doc["b"].Position);
        Assert.Equal(new TomlPosition(null, 3, 5), doc["c"].Position);
        Assert.Equal(new TomlPosition(null, 5, 1), doc.GetKeyPosition("d"));
    }

    [Fact]
    public void Emoji_before_a_value_counts_as_one_column()
    {
        var doc = TomlReader.Parse("\"😀\" = 1\nk = [\"😀\", 2]");
        Assert.Equal(new TomlPosition(null, 1, 7), doc["😀"].Position);
        var array = Assert.IsType<TomlArray>(doc["k"]);
        Assert.Equal(new TomlPosition(null, 2, 11), array[1].Position);
    }

    [Fact]
    public void Array_elements_spread_over_lines_keep_their_own_positions()
    {
        // Kata's enable_annotations and valid_*_paths lists; errors name the element, so each needs its spot.
        var doc = TomlReader.Parse("""
            paths = [
              "/usr/bin/qemu-system-x86_64", # the default
              '/opt/qemu/bin/*',
            ]
            """, "cfg.toml");
        var paths = Assert.IsType<TomlArray>(doc["paths"]);
        Assert.Equal(["/usr/bin/qemu-system-x86_64", "/opt/qemu/bin/*"], paths.Cast<TomlString>().Select(s => s.Value));
        Assert.Equal(new TomlPosition("cfg.toml", 1, 9), paths.Position);
        Assert.Equal(new TomlPosition("cfg.toml", 2, 3), paths[0].Position);
        Assert.Equal(new TomlPosition("cfg.toml", 3, 3), paths[1].Position);
    }

    [Fact]
    public void Empty_and_comment_only_documents_are_empty_tables()
    {
        Assert.Empty(TomlReader.Parse(string.Empty));
        Assert.Empty(TomlReader.Parse("# nothing\r\n\n   \t\n"));
        Assert.Empty(TomlReader.Parse([0xEF, 0xBB, 0xBF]));
    }

    [Fact]
    public void Public_table_constructor_keeps_order_and_positions()
    {
        var p = new TomlPosition("f", 1, 1);
        var table = new TomlTable(
            [new("b", new TomlInteger(1, p)), new("a", new TomlInteger(2, new TomlPosition("f", 2, 5)))],
            new Dictionary<string, TomlPosition> { ["b"] = new("f", 9, 9) },
            p);
        Assert.Equal(["b", "a"], table.Keys);
        Assert.Equal(new TomlPosition("f", 9, 9), table.GetKeyPosition("b"));
        Assert.Equal(new TomlPosition("f", 2, 5), table.GetKeyPosition("a")); // falls back to the value
        Assert.Throws<ArgumentException>(() => new TomlTable([new("a", new TomlInteger(1, p)), new("a", new TomlInteger(2, p))], new Dictionary<string, TomlPosition>(), p));
    }
}
