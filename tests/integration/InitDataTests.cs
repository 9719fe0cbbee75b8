using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Sealpod.IntegrationTests;

/// <summary>
/// A pod's Init-Data (<c>io.katacontainers.config.hypervisor.cc_init_data</c>, which the shipped coco-dev
/// configuration enables, as Kata's does) through containerd: the shim writes Kata's initdata disk and attaches it,
/// the guest agent finds it at boot and writes its files, and logs the document's digest (never its content) on the
/// guest console. The test compares that digest with the one it computes itself over the TOML it sent: equal digests
/// mean the document arrived byte for byte. This host has no TEE, so no launch argument carries the digest here; the
/// agent's digest is the value SNP's HOST_DATA and TDX's MRCONFIGID are fitted from.
/// </summary>
public sealed partial class InitDataTests(PrivateContainerd containerd) : IClassFixture<PrivateContainerd>
{
    private const string Annotation = "io.katacontainers.config.hypervisor.cc_init_data";

    // A marker that must never reach a log: Init-Data may carry credentials.
    private const string Secret = "s3cret-registry-token-8d1f";

    [Fact]
    public async Task The_pods_init_data_reaches_the_guest_agent_byte_for_byte()
    {
        var toml = Encoding.UTF8.GetBytes($$"""
            version = "0.1.0"
            algorithm = "sha384"

            [data]
            "aa.toml" = '''
            [token_configs.kbs]
            url = "http://192.0.2.1:8080"
            '''
            "cdh.toml" = '''
            [kbc]
            name = "cc_kbc"
            url = "http://192.0.2.1:8080"
            [image]
            authenticated_registry_credentials_uri = "file:///{{Secret}}"
            '''

            """.Replace("\r", string.Empty, StringComparison.Ordinal));
        string expected = "sha384:" + Convert.ToHexStringLower(SHA384.HashData(toml));
        string sandbox = Path.Combine(containerd.SandboxRunDirectory, "sandboxes", "init1");

        var run = await containerd.Run(["-d", "--null-io", "--annotation", $"{Annotation}={Gzip64(toml)}"], "init1", ["sleep", "1000"]);
        Assert.True(run.ExitCode == 0, run + containerd.ContainerdLog());
        var task = await containerd.TaskAsync("init1");
        string[] qemu = (await File.ReadAllTextAsync($"/proc/{task!.Value.Pid}/cmdline")).Split('\0');
        string console = await WaitForInitDataLineAsync(Path.Combine(sandbox, "console.log"));

        try
        {
            Assert.Contains(qemu, argument => argument.Contains(Path.Combine(sandbox, "initdata.img"), StringComparison.Ordinal));
            var line = InitDataLine().Match(console);
            Assert.True(line.Success, "no Init-Data line on the guest console:\n" + console);
            Assert.Equal("aa.toml, cdh.toml", line.Groups["keys"].Value);
            Assert.Equal(expected, line.Groups["digest"].Value);
            Assert.Contains("/run/confidential-containers/initdata/initdata.toml", line.Groups["files"].Value, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, console, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, containerd.ContainerdLog(int.MaxValue), StringComparison.Ordinal);
        }
        finally
        {
            await containerd.KillAndRemoveAsync("init1");
        }

        await containerd.AssertNothingLeftAsync("init1");
    }

    [Theory]
    [InlineData("init2", "not base64 at all!", "as-is", "not valid base64")]
    [InlineData("init3", "hello world", "base64", "not gzip data")]
    [InlineData("init4", "version = \"0.1.0\"\nalgorithm = \"md5\"\n[data]\n", "gzip+base64", "algorithm: expected one of")]
    public async Task A_malformed_annotation_fails_the_run_naming_it_and_boots_nothing(string id, string content, string encoding, string reason)
    {
        string value = encoding switch
        {
            "as-is" => content,
            "base64" => Convert.ToBase64String(Encoding.UTF8.GetBytes(content)),
            _ => Gzip64(Encoding.UTF8.GetBytes(content)),
        };

        var run = await containerd.Run(["--rm", "--annotation", $"{Annotation}={value}"], id, ["true"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(Annotation, run.Stderr, StringComparison.Ordinal);
        Assert.Contains(reason, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain($"sandbox {id}: VM started", containerd.ContainerdLog(int.MaxValue), StringComparison.Ordinal);
        await containerd.Ctr(["containers", "rm", id]);
        await containerd.AssertNothingLeftAsync(id);
    }

    private static string Gzip64(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return Convert.ToBase64String(compressed.ToArray());
    }

    /// <summary>
    /// The console as soon as it holds the agent's Init-Data line. The agent writes it before it serves, so it is
    /// normally there once the container runs; QEMU's file writes are only polled for, the timeout bounds a failure.
    /// </summary>
    private static async Task<string> WaitForInitDataLineAsync(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        string text;
        do
        {
            text = File.Exists(path) ? await File.ReadAllTextAsync(path) : string.Empty;
            if (InitDataLine().IsMatch(text))
            {
                break;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        return text;
    }

    [GeneratedRegex(@"sealpod-agent info: Init-Data from \S+: version 0\.1\.0, data (?<keys>[^;]*); digest (?<digest>sha\d+:[0-9a-f]+); wrote (?<files>.*) in \d+ ms")]
    private static partial Regex InitDataLine();
}
