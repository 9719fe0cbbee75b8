using Sealpod.Agent.Policy;
using Sealpod.Config;
using Sealpod.InitData;

namespace Sealpod.Fuzz.Targets;

/// <summary>
/// Init-Data in each form it arrives in, picked by the first byte: the annotation value (base64 of gzip, read by the
/// host's annotation check and by the decoder), the TOML document itself, and the disk image the agent reads. A
/// document that parses has its digest taken and its policy.rego read by the agent's policy parser. Documented:
/// InitDataException (each layer's failure) and PolicyException (a policy the agent does not support).
/// </summary>
internal sealed class InitDataTarget() : FuzzTarget("initdata", "Init-Data annotation, TOML document and disk image, and its policy (src/InitData, src/Agent/Policy)")
{
    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        var body = input[1..];
        InitDataDocument document;
        switch (input[0] % 3)
        {
            case 0:
                var value = Encoding.UTF8.GetString(body);
                _ = AnnotationValues.CheckInitData(value);
                document = InitDataAnnotation.Decode(value);
                break;
            case 1:
                document = InitDataDocument.Parse(body);
                break;
            default:
                using (var disk = new MemoryStream(body.ToArray()))
                {
                    document = InitDataImage.ReadAsync(disk).GetAwaiter().GetResult();
                }

                break;
        }

        _ = document.Digest.ToString();
        _ = document.Data.Count;
        if (InitDataGuestFiles.Policy(document) is { } policy)
        {
            _ = RegoPolicyParser.Parse(policy, "initdata policy.rego");
        }
    }

    public override bool IsDocumented(Exception exception) => exception is InitDataException or PolicyException;
}
