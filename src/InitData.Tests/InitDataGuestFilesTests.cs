using Sealpod.InitData.Tests.TestSupport;

namespace Sealpod.InitData.Tests;

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
            ["registry-auth.json"] = "{\"auths\": {}}",
            ["../../etc/shadow"] = "not a file name",
        });

        var written = await InitDataGuestFiles.WriteAsync(document, target);

        Assert.Equal(["initdata.toml", "aa.toml", "cdh.toml", "registry-auth.json"], written.Select(Path.GetFileName));
        Assert.Equal(document.Toml.ToArray(), await File.ReadAllBytesAsync(Path.Combine(target, "initdata.toml")));
        Assert.Equal("[token_configs]\n", await File.ReadAllTextAsync(Path.Combine(target, "aa.toml")));
        Assert.Equal("{\"auths\": {}}", await File.ReadAllTextAsync(Path.Combine(target, "registry-auth.json")));
        Assert.Equal(["aa.toml", "cdh.toml", "initdata.toml", "registry-auth.json"], Directory.GetFiles(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
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

    [Fact]
    public async Task A_symbolic_link_in_place_of_a_file_is_replaced_and_its_target_left_alone()
    {
        using var dir = new TempDirectory();
        var outside = dir.Combine("outside.toml");
        await File.WriteAllTextAsync(outside, "untouched");
        var target = Directory.CreateDirectory(dir.Combine("initdata")).FullName;
        File.CreateSymbolicLink(Path.Combine(target, "aa.toml"), outside);
        var document = InitDataDocument.Create(InitDataAlgorithm.Sha256, new Dictionary<string, string> { ["aa.toml"] = "[token_configs]\n" });

        await InitDataGuestFiles.WriteAsync(document, target);

        Assert.Equal("untouched", await File.ReadAllTextAsync(outside));
        Assert.Null(new FileInfo(Path.Combine(target, "aa.toml")).LinkTarget);
        Assert.Equal("[token_configs]\n", await File.ReadAllTextAsync(Path.Combine(target, "aa.toml")));
    }

    [Fact]
    public async Task A_directory_that_is_a_symbolic_link_is_refused_and_nothing_is_written_through_it()
    {
        using var dir = new TempDirectory();
        var real = Directory.CreateDirectory(dir.Combine("elsewhere")).FullName;
        var link = dir.Combine("initdata");
        Directory.CreateSymbolicLink(link, real);
        var document = InitDataDocument.Create(InitDataAlgorithm.Sha256, new Dictionary<string, string>());

        var error = await Assert.ThrowsAsync<InitDataException>(() => InitDataGuestFiles.WriteAsync(document, link));

        Assert.Equal($"{link} is a symbolic link (to {real}): Init-Data files are written only into a real directory", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(real));
    }
}
