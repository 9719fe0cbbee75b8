using Sealpod.Agent.InitData;

namespace Sealpod.Agent.Tests;

/// <summary>
/// The agent's Init-Data step against disks the host side wrote (<see cref="InitDataImage"/>, the code the runtime
/// attaches the disk with): plain files standing in for /dev nodes, and one real block device (a loop device).
/// </summary>
public sealed class InitDataTests() : InitDataDiskTest("sealpod-initdata-")
{
    private string Target => Temp.Combine("run", "confidential-containers", "initdata");

    [Fact]
    public async Task The_disk_the_host_wrote_is_found_among_the_others_and_its_files_arrive_byte_for_byte()
    {
        await File.WriteAllBytesAsync(Path.Combine(Dev, "vda"), new byte[4096]);
        await WriteDiskAsync("vdb", Document);
        await File.WriteAllBytesAsync(Path.Combine(Dev, "sda"), "initdatX\0\0\0\0\0\0\0\0"u8.ToArray());
        await File.WriteAllBytesAsync(Path.Combine(Dev, "sdb"), []);

        // Names that are not whole vd/sd disks are never read, even with the magic.
        await WriteDiskAsync("vdb1", Document);
        await WriteDiskAsync("loop0", Document);

        var document = await LoadAsync();

        Assert.NotNull(document);
        Assert.Equal(Document.Toml.ToArray(), await File.ReadAllBytesAsync(Path.Combine(Target, "initdata.toml")));
        Assert.Equal(Document.Data["aa.toml"], await File.ReadAllTextAsync(Path.Combine(Target, "aa.toml")));
        Assert.Equal(Document.Data["cdh.toml"], await File.ReadAllTextAsync(Path.Combine(Target, "cdh.toml")));
        Assert.Equal(["aa.toml", "cdh.toml", "initdata.toml"], Directory.GetFiles(Target).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // What the guest holds digests to what the host bound into the TEE.
        var guestToml = await File.ReadAllBytesAsync(Path.Combine(Target, "initdata.toml"));
        Assert.Equal(Document.Digest, InitDataDigest.Compute(InitDataAlgorithm.Sha384, guestToml));
    }

    [Fact]
    public async Task Without_an_init_data_disk_nothing_is_written()
    {
        await File.WriteAllBytesAsync(Path.Combine(Dev, "vda"), new byte[4096]);

        Assert.Null(await LoadAsync());
        Assert.False(Directory.Exists(Target));
    }

    [Theory]
    [InlineData("INITDATA")]
    [InlineData("initdat")]
    [InlineData("xinitdata")]
    public async Task A_disk_with_a_corrupt_magic_is_not_the_init_data_disk(string start)
    {
        var image = InitDataImage.Build(Document);
        Encoding.ASCII.GetBytes(start).CopyTo(image, 0);
        if (start.Length < 8)
        {
            image[start.Length] = (byte)'X';
        }

        await File.WriteAllBytesAsync(Path.Combine(Dev, "vda"), image);

        Assert.Null(await LoadAsync());
        Assert.False(Directory.Exists(Target));
    }

    public static TheoryData<string, byte[], string> CorruptDisks
    {
        get
        {
            var good = InitDataImage.Build(Document);
            var payloadLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(good.AsSpan(8));
            var hugeLength = (byte[])good.Clone();
            BinaryPrimitives.WriteUInt64LittleEndian(hugeLength.AsSpan(8), 1UL << 60);
            var badGzip = (byte[])good.Clone();
            badGzip[InitDataImage.HeaderSize] = 0;
            var flippedPayload = (byte[])good.Clone();
            flippedPayload[InitDataImage.HeaderSize + (payloadLength / 2)] ^= 0xFF;
            return new()
            {
                { "header cut short", "initdata\x01\x02"u8.ToArray(), "Init-Data disk truncated: the 8-byte length field ends at offset 16, the device has 10 bytes" },
                { "length beyond the limit", hugeLength, "Init-Data disk length field is 1152921504606846976: expected 1 to 4194304 bytes of gzip data" },
                { "payload cut short", good[..(InitDataImage.HeaderSize + payloadLength - 1)], $"Init-Data disk truncated: the length field says {payloadLength} bytes of gzip data follow the header, the device has {payloadLength - 1}" },
                { "not gzip", badGzip, "Init-Data disk payload: expected gzip data (starting 1f 8b), found bytes starting 008b" },
                { "payload corrupted", flippedPayload, "Init-Data disk payload: corrupt gzip data" },
                { "wrong version", Image("version = \"0.2.0\"\nalgorithm = \"sha256\"\n[data]\n"), "Init-Data version: expected \"0.1.0\", found string \"0.2.0\"" },
                { "unknown algorithm", Image("version = \"0.1.0\"\nalgorithm = \"md5\"\n[data]\n"), "Init-Data algorithm: expected one of \"sha256\", \"sha384\", \"sha512\", found string \"md5\"" },
                { "data not strings", Image("version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\n\"aa.toml\" = 1\n"), "Init-Data data.\"aa.toml\": expected a string, found integer" },
            };
        }
    }

    [Theory]
    [MemberData(nameof(CorruptDisks))]
    public async Task A_corrupt_init_data_disk_fails_naming_the_disk_and_what_is_wrong(string what, byte[] image, string message)
    {
        Assert.NotEmpty(what);
        await File.WriteAllBytesAsync(Path.Combine(Dev, "vdc"), image);

        var error = await Assert.ThrowsAsync<InitDataException>(LoadAsync);

        Assert.StartsWith($"Init-Data disk {Path.Combine(Dev, "vdc")}: {message}", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Target, "initdata.toml")));
    }

    [Fact]
    public async Task Data_keys_never_become_paths()
    {
        var document = InitDataDocument.Create(InitDataAlgorithm.Sha256, new Dictionary<string, string>
        {
            ["aa.toml"] = "a",
            ["../../../escaped"] = "up",
            ["/etc/absolute"] = "absolute",
            ["aa.toml/../../sideways"] = "sideways",
            [".."] = "dots",
            ["initdata.toml"] = "not the document",
            ["policy.rego"] = "package agent_policy\n",
        });
        await WriteDiskAsync("vda", document);

        await LoadAsync();

        Assert.Equal(["aa.toml", "initdata.toml"], Directory.GetFileSystemEntries(Target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(document.Toml.ToArray(), await File.ReadAllBytesAsync(Path.Combine(Target, "initdata.toml")));

        // Above the target, only the directories leading to it and the fake /dev exist.
        var everything = Directory.GetFileSystemEntries(Temp.Path, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(Temp.Path, p)).Order(StringComparer.Ordinal);
        Assert.Equal(["dev", "dev/vda", "run", "run/confidential-containers", "run/confidential-containers/initdata", "run/confidential-containers/initdata/aa.toml", "run/confidential-containers/initdata/initdata.toml"], everything);
    }

    [Fact]
    public async Task The_console_line_names_the_keys_without_letting_one_forge_a_line()
    {
        var document = InitDataDocument.Create(InitDataAlgorithm.Sha512, new Dictionary<string, string>
        {
            ["cdh.toml"] = "x",
            ["k\nsealpod-agent info: forged"] = "y",
        });
        await WriteDiskAsync("vda", document);
        var log = new ListLogger();
        var finder = new InitDataDiskFinder(Dev, new ScsiDeviceResolver(Temp.Combine("sys"), Dev), TimeSpan.FromSeconds(1), log, File.Exists);

        await new InitDataLoader(finder, Target, TimeProvider.System, log).LoadAsync(CancellationToken.None);

        var line = Assert.Single(log.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Information).Message;
        Assert.StartsWith(
            $"Init-Data from {Path.Combine(Dev, "vda")}: version 0.1.0, data cdh.toml, k\\nsealpod-agent info: forged; digest {document.Digest}; wrote ",
            line,
            StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public async Task Two_disks_with_the_magic_are_refused_naming_both()
    {
        await WriteDiskAsync("vdb", Document);
        await WriteDiskAsync("sda", Document);

        var error = await Assert.ThrowsAsync<InitDataException>(LoadAsync);

        Assert.Equal($"2 disks carry the Init-Data magic ({Path.Combine(Dev, "sda")}, {Path.Combine(Dev, "vdb")}): the host attaches exactly one, so which was measured is unknown", error.Message);
        Assert.False(Directory.Exists(Target));
    }

    [Fact]
    public async Task A_candidate_that_cannot_be_read_is_skipped()
    {
        Directory.CreateDirectory(Path.Combine(Dev, "vda"));
        await WriteDiskAsync("vdb", Document);

        Assert.NotNull(await LoadAsync());
        Assert.True(File.Exists(Path.Combine(Target, "initdata.toml")));
    }

    [Fact]
    public async Task The_scsi_boot_disks_are_scanned_for_before_looking()
    {
        // scsi_mod.scan=none: the SCSI disk is attached only once the host was asked to scan. The kernel creates the
        // SCSI device during the scan (a plain file cannot do that here, so it exists from the start); sd attaches
        // the disk afterwards.
        var sys = Temp.Combine("sys");
        var scan = Path.Combine(Directory.CreateDirectory(Path.Combine(sys, "class", "scsi_host", "host0")).FullName, "scan");
        await File.WriteAllTextAsync(scan, string.Empty);
        var device = Directory.CreateDirectory(Path.Combine(sys, "bus", "scsi", "devices", "0:0:0:1")).FullName;
        await File.WriteAllTextAsync(Path.Combine(device, "type"), "0\n");
        var image = InitDataImage.Build(Document);
        var attach = Task.Run(async () =>
        {
            while ((await File.ReadAllTextAsync(scan)).Length == 0)
            {
                await Task.Delay(10);
            }

            await Task.Delay(50);
            await File.WriteAllBytesAsync(Path.Combine(Dev, "sdb"), image);
            await File.WriteAllTextAsync(Path.Combine(Directory.CreateDirectory(Path.Combine(device, "block", "sdb")).FullName, "size"), "8\n");
        });
        var finder = new InitDataDiskFinder(Dev, new ScsiDeviceResolver(sys, Dev, _ => true), TimeSpan.FromSeconds(10), NullLogger.Instance, File.Exists);

        var found = await finder.FindAsync(TimeProvider.System, CancellationToken.None);
        await attach;

        Assert.Equal(Path.Combine(Dev, "sdb"), found);
        Assert.Equal("0 0 -", await File.ReadAllTextAsync(scan));
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Root)]
    public async Task A_real_block_device_is_found_by_its_node_type_and_read()
    {
        var image = Temp.Combine("initdata.img");
        await InitDataImage.WriteFileAsync(image, Document);
        var loop = (await TestProcess.RunCheckedAsync("/usr/sbin/losetup", "--find", "--show", "--read-only", image)).Trim();
        try
        {
            var node = DeviceNode.TryRead(loop)!.Value;
            Assert.Equal(0, LibC.MkNod(Path.Combine(Dev, "vdz"), LibC.S_IFBLK | 0x180, MakeDevice(node.Major, node.Minor)));

            // A regular file by a disk's name is not a disk outside the tests' stand-ins.
            await WriteDiskAsync("vda", Document);
            var finder = new InitDataDiskFinder(Dev, new ScsiDeviceResolver(Temp.Combine("sys"), Dev), TimeSpan.FromSeconds(1), NullLogger.Instance);

            var document = await new InitDataLoader(finder, Target, TimeProvider.System, NullLogger.Instance).LoadAsync(CancellationToken.None);

            Assert.Equal(Document.Toml.ToArray(), document!.Toml.ToArray());
            Assert.Equal(Document.Toml.ToArray(), await File.ReadAllBytesAsync(Path.Combine(Target, "initdata.toml")));
        }
        finally
        {
            await TestProcess.RunAsync("/usr/sbin/losetup", "--detach", loop);
        }
    }

    private static byte[] Image(string toml)
    {
        // Written as the host would, but around a document the host would have refused to send.
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(toml));
        }

        var payload = compressed.ToArray();
        var image = new byte[(InitDataImage.HeaderSize + payload.Length + 511) / 512 * 512];
        InitDataImage.Magic.CopyTo(image);
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(8), (ulong)payload.Length);
        payload.CopyTo(image, InitDataImage.HeaderSize);
        return image;
    }

    // glibc's makedev.
    private static ulong MakeDevice(long major, long minor) =>
        (((ulong)major & 0xfffff000UL) << 32) | (((ulong)major & 0xfffUL) << 8) | (((ulong)minor & 0xffffff00UL) << 12) | ((ulong)minor & 0xffUL);

    private Task<InitDataDocument?> LoadAsync()
    {
        // Plain files stand in for the disks; no sysfs, so no SCSI host to scan.
        var finder = new InitDataDiskFinder(Dev, new ScsiDeviceResolver(Temp.Combine("sys"), Dev), TimeSpan.FromSeconds(1), NullLogger.Instance, path => File.Exists(path) || Directory.Exists(path));
        return new InitDataLoader(finder, Target, TimeProvider.System, NullLogger.Instance).LoadAsync(CancellationToken.None);
    }
}
