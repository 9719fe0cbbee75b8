namespace Sealpod.InitData.Tests;

/// <summary>Init-Data 0.1.0: what a document must contain, and that the digest is over the bytes as given.</summary>
public sealed class InitDataDocumentTests
{
    internal const string KataExample = """
        algorithm = "sha384"
        version = "0.1.0"

        [data]
        "aa.toml" = '''
        [token_configs]
        [token_configs.kbs]
        url = 'http://kbs-service.default.svc.cluster.local:8080'
        '''

        "cdh.toml" = '''
        socket = 'unix:///run/guest-services/cdh.sock'
        credentials = []

        [kbc]
        name = 'cc_kbc'
        url = 'http://kbs-service.default.svc.cluster.local:8080'
        '''

        "policy.rego" = '''
        package agent_policy
        default AllowRequestsFailingPolicy := true
        '''
        """;

    [Fact]
    public void Parses_kata_style_documents_with_multiline_literal_strings()
    {
        var document = InitDataDocument.Parse(Encoding.UTF8.GetBytes(KataExample));

        Assert.Equal("0.1.0", document.Version);
        Assert.Equal(InitDataAlgorithm.Sha384, document.Algorithm);
        Assert.Equal(["aa.toml", "cdh.toml", "policy.rego"], document.Data.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith("socket = 'unix:///run/guest-services/cdh.sock'\n", document.Data["cdh.toml"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_digest_is_over_the_exact_toml_bytes_with_the_named_algorithm()
    {
        var bytes = Encoding.UTF8.GetBytes(KataExample);
        var spaced = Encoding.UTF8.GetBytes(KataExample.Replace("algorithm = ", "algorithm  =  ", StringComparison.Ordinal));

        var document = InitDataDocument.Parse(bytes);

        Assert.Equal(SHA384.HashData(bytes), document.Digest.Value.ToArray());
        Assert.True(bytes.AsSpan().SequenceEqual(document.Toml));

        // Same meaning, different bytes: a different digest, so nothing may re-serialise the document.
        Assert.NotEqual(document.Digest, InitDataDocument.Parse(spaced).Digest);
    }

    [Theory]
    [InlineData("algorithm = \"sha256\"\n[data]\n", "Init-Data version: expected \"0.1.0\", found nothing")]
    [InlineData("version = \"0.2.0\"\nalgorithm = \"sha256\"\n[data]\n", "Init-Data version: expected \"0.1.0\", found string \"0.2.0\"")]
    [InlineData("version = \"0.1.0\"\n[data]\n", "Init-Data algorithm: expected one of \"sha256\", \"sha384\", \"sha512\", found nothing")]
    [InlineData("version = \"0.1.0\"\nalgorithm = \"sha-256\"\n[data]\n", "Init-Data algorithm: expected one of \"sha256\", \"sha384\", \"sha512\", found string \"sha-256\"")]
    [InlineData("version = \"0.1.0\"\nalgorithm = \"md5\"\n[data]\n", "Init-Data algorithm: expected one of \"sha256\", \"sha384\", \"sha512\", found string \"md5\"")]
    [InlineData("version = \"0.1.0\"\nalgorithm = \"sha256\"\n", "Init-Data data: expected a [data] table of strings, found nothing")]
    [InlineData("version = \"0.1.0\"\nalgorithm = \"sha256\"\ndata = \"x\"\n", "Init-Data data: expected a [data] table of strings, found string \"x\"")]
    [InlineData("version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\nretries = 3\n", "Init-Data data.\"retries\": expected a string, found integer")]
    [InlineData("version = 0.1\n", "Init-Data version: expected \"0.1.0\", found float")]
    public void Rejects_documents_that_are_not_init_data_0_1_0(string toml, string message)
    {
        var e = Assert.Throws<InitDataException>(() => InitDataDocument.Parse(Encoding.UTF8.GetBytes(toml)));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Rejects_text_that_is_not_toml_with_the_parser_position()
    {
        var e = Assert.Throws<InitDataException>(() => InitDataDocument.Parse("version = \"0.1.0\nalgorithm"u8));

        Assert.StartsWith("Init-Data is not valid TOML: initdata.toml:1:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_writes_a_deterministic_document_that_parses_back()
    {
        var data = new Dictionary<string, string>
        {
            ["policy.rego"] = "package agent_policy\n\"quoted\" \\ tab\t",
            ["aa.toml"] = "[token_configs]\n",
        };

        var a = InitDataDocument.Create(InitDataAlgorithm.Sha256, data);
        var b = InitDataDocument.Create(InitDataAlgorithm.Sha256, data.Reverse().ToDictionary());

        Assert.Equal(
            "version = \"0.1.0\"\nalgorithm = \"sha256\"\n\n[data]\n\"aa.toml\" = \"[token_configs]\\n\"\n\"policy.rego\" = \"package agent_policy\\n\\\"quoted\\\" \\\\ tab\\t\"\n",
            Encoding.UTF8.GetString(a.Toml));
        Assert.True(a.Toml.SequenceEqual(b.Toml));
        Assert.Equal(data["policy.rego"], a.Data["policy.rego"]);
    }

    [Theory]
    [InlineData(InitDataAlgorithm.Sha256, 32)]
    [InlineData(InitDataAlgorithm.Sha384, 48)]
    [InlineData(InitDataAlgorithm.Sha512, 64)]
    public void Digests_fit_each_tee_field_by_truncating_or_zero_padding(InitDataAlgorithm algorithm, int length)
    {
        var document = InitDataDocument.Create(algorithm, new Dictionary<string, string> { ["k"] = "v" });
        var digest = document.Digest.Value.ToArray();

        Assert.Equal(length, digest.Length);
        var snp = document.Digest.ToSnpHostData();
        var tdx = document.Digest.ToTdxMrConfigId();
        Assert.Equal(32, snp.Length);
        Assert.Equal(48, tdx.Length);
        Assert.Equal(digest[..32], snp);
        Assert.Equal(digest[..Math.Min(48, length)], tdx[..Math.Min(48, length)]);
        Assert.All(tdx[Math.Min(48, length)..], b => Assert.Equal(0, b));
    }
}
