// toml-test decoder: TOML on stdin, tagged JSON on stdout, exit 1 with the error on stderr for invalid input.
//   Sealpod.Toml.Decoder                      decode stdin
//   Sealpod.Toml.Decoder --compare EXP.json   read tagged JSON (the decoder's output) on stdin, compare with EXP.json
using System.Text.Json;
using Sealpod.Toml;
using Sealpod.Toml.Decoder;

using var stdin = Console.OpenStandardInput();
using var input = new MemoryStream();
stdin.CopyTo(input);

if (args.Length == 2 && args[0] == "--compare")
{
    try
    {
        using var expected = JsonDocument.Parse(File.ReadAllBytes(args[1]));
        using var actual = JsonDocument.Parse(input.ToArray());
        var difference = TaggedJsonComparer.Difference(expected.RootElement, actual.RootElement);
        if (difference is null)
        {
            return 0;
        }

        Console.Error.WriteLine(difference);
        return 1;
    }
    catch (JsonException e)
    {
        Console.Error.WriteLine($"not JSON: {e.Message}");
        return 2;
    }
}

if (args.Length != 0)
{
    Console.Error.WriteLine("usage: Sealpod.Toml.Decoder [--compare EXPECTED.json] < input");
    return 2;
}

try
{
    var document = TomlParser.Parse(input.GetBuffer().AsSpan(0, (int)input.Length), "<stdin>");
    using var stdout = Console.OpenStandardOutput();
    stdout.Write(TaggedJsonEncoder.ToUtf8(document));
    stdout.WriteByte((byte)'\n');
    return 0;
}
catch (TomlException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
