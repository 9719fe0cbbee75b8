using System.Security.Cryptography;

namespace Sealpod.Runtime.Tests;

/// <summary>The CopyFile requests a host tree becomes (the agent side is tested with the agent; the VM path by the integration tests).</summary>
public sealed class GuestFileCopierTests() : TempDirectoryTest("sealpod-copier-")
{
    [Fact]
    public async Task A_directory_becomes_one_request_per_directory_and_link_and_chunks_per_file()
    {
        string source = Directory.CreateDirectory(Temp.Combine("src")).FullName;
        Directory.CreateDirectory(Path.Combine(source, "sub"));
        var big = RandomNumberGenerator.GetBytes((2 * GuestFileCopier.ChunkSize) + 12345);
        File.WriteAllBytes(Path.Combine(source, "sub", "big"), big);
        File.WriteAllBytes(Path.Combine(source, "empty"), []);
        File.SetUnixFileMode(Path.Combine(source, "empty"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(source, "link"), "sub/big");
        var agent = new FakeAgent();

        await new GuestFileCopier(agent).CopyAsync(new GuestCopy(HostTree.Read(source, 100), "/run/sealpod/shared/c1/0-data", true), CancellationToken.None);

        var requests = agent.CopiedFiles.ToArray();
        Assert.Equal(
            ["/run/sealpod/shared/c1/0-data", "/run/sealpod/shared/c1/0-data/empty", "/run/sealpod/shared/c1/0-data/link",
             "/run/sealpod/shared/c1/0-data/sub", "/run/sealpod/shared/c1/0-data/sub/big", "/run/sealpod/shared/c1/0-data/sub/big", "/run/sealpod/shared/c1/0-data/sub/big"],
            requests.Select(r => r.Path));
        Assert.Equal(0x4000u, requests[0].FileMode & 0xF000);
        Assert.Equal(0x8140u, requests[1].FileMode); // S_IFREG | 0500
        Assert.Equal((0L, 0), (requests[1].FileSize, requests[1].Data.Length));
        Assert.Equal(0xA000u, requests[2].FileMode & 0xF000);
        Assert.Equal("sub/big", Encoding.UTF8.GetString(requests[2].Data.Span));
        var chunks = requests[4..];
        Assert.All(chunks, c => Assert.Equal(big.Length, c.FileSize));
        Assert.Equal([0L, GuestFileCopier.ChunkSize, 2L * GuestFileCopier.ChunkSize], chunks.Select(c => c.Offset));
        Assert.True(big.AsSpan().SequenceEqual(chunks.SelectMany(c => c.Data.ToArray()).ToArray()));
        Assert.All(requests, r => Assert.Equal(0x1E8u, r.DirMode));
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Root)]
    public async Task A_file_is_copied_to_the_guest_path_itself_with_its_owner()
    {
        string file = Temp.Combine("hosts");
        File.WriteAllText(file, "127.0.0.1 localhost\n");
        var agent = new FakeAgent();

        await new GuestFileCopier(agent).CopyAsync(new GuestCopy(HostTree.Read(file, 10), "/run/sealpod/shared/c1/0-hosts", false), CancellationToken.None);

        var request = Assert.Single(agent.CopiedFiles);
        Assert.Equal("/run/sealpod/shared/c1/0-hosts", request.Path);
        Assert.Equal("127.0.0.1 localhost\n", Encoding.UTF8.GetString(request.Data.Span));
        Assert.Equal((0, 0), (request.Uid, request.Gid)); // the tests run as root, the file's owner
    }
}
