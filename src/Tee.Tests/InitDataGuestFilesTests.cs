using System.Text;
using Sealpod.Tee.InitData;
using Sealpod.Tee.Tests.TestSupport;

namespace Sealpod.Tee.Tests;

/// <summary>The guest side of Init-Data: the files guest components read, and only those.</summary>
public sealed class InitDataGuestFilesTests
{
    [Fact]
    public async Task Writes_the_document_and_the_known_configs_owner_readable_and_keeps_the_policy_back()
    {
        using var dir = new TempDirectory();
        var target = dir.Combine("run", "confidential-containers", "initdata");
        var document = InitDataDocument.Create(InitDataAlgorithm.Sha384, new Dictionary<string, string>
        {
            ["aa.toml"] = "[token_configs]\n",
            ["cdh.toml"] = "socket = 'unix:///run/guest-services/cdh.sock'\n",
            ["policy.rego"] = "package agent_policy\n",
            ["../../etc/shadow"] = "not a file name",
        });

        var written = await InitDataGuestFiles.WriteAsync(document, target);

        Assert.Equal(["initdata.toml", "aa.toml", "cdh.toml"], written.Select(Path.GetFileName));
        Assert.Equal(document.Toml.ToArray(), await File.ReadAllBytesAsync(Path.Combine(target, "initdata.toml")));
        Assert.Equal("[token_configs]\n", await File.ReadAllTextAsync(Path.Combine(target, "aa.toml")));
        Assert.Equal(["aa.toml", "cdh.toml", "initdata.toml"], Directory.GetFiles(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(written, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
        Assert.Equal("package agent_policy\n", InitDataGuestFiles.Policy(document));
        Assert.False(File.Exists(dir.Combine("etc", "shadow")));
    }

    [Fact]
    public async Task A_document_without_configs_writes_only_itself()
    {
        using var dir = new TempDirectory();
        var document = InitDataDocument.Parse(Encoding.UTF8.GetBytes("version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\n"));

        var written = await InitDataGuestFiles.WriteAsync(document, dir.Path);

        Assert.Equal([dir.Combine("initdata.toml")], written);
        Assert.Null(InitDataGuestFiles.Policy(document));
    }
}
