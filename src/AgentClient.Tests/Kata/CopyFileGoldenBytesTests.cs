namespace Sealpod.AgentClient.Tests.Kata;

/// <summary>
/// CopyFile as it goes on the wire: golden protobuf bytes encoded by hand from the field numbers of Kata's
/// agent.proto CopyFileRequest (path 1, file_size 2, file_mode 3, dir_mode 4, uid 5, gid 6, offset 7, data 8), so a
/// renumbered field or a changed integer type (a negative gid is a ten-byte int32 varint) shows here.
/// </summary>
public sealed class CopyFileGoldenBytesTests
{
    [Fact]
    public void A_whole_small_file_carries_path_size_modes_owner_and_data_with_offset_zero_left_out()
    {
        var wire = RequestTranslation.ToWire(new CopyFileRequest
        {
            Path = "/run/f",
            FileSize = 3,
            FileMode = 0x81A4, // regular file, 0644
            DirMode = 0x1ED,   // 0755
            Uid = 1000,
            Gid = -1,          // "leave the group as the agent creates it"
            Data = "abc"u8.ToArray(),
        });

        Assert.Equal(
            "0a06" + "2f72756e2f66"          // path "/run/f"
            + "1003"                         // file_size 3
            + "18a48302"                     // file_mode 33188
            + "20ed03"                       // dir_mode 493
            + "28e807"                       // uid 1000
            + "30ffffffffffffffffff01"       // gid -1
            + "4203" + "616263",             // data "abc"
            Convert.ToHexStringLower(wire.ToByteArray()));
    }

    [Fact]
    public void A_later_chunk_names_the_whole_size_and_its_offset()
    {
        var wire = RequestTranslation.ToWire(new CopyFileRequest
        {
            Path = "/run/f",
            FileSize = (1 << 20) + 3,
            FileMode = 0x81A4,
            Offset = 1 << 20,
            Data = "xyz"u8.ToArray(),
        });

        Assert.Equal(
            "0a06" + "2f72756e2f66"          // path "/run/f"
            + "10838040"                     // file_size 1048579
            + "18a48302"                     // file_mode 33188
            + "38808040"                     // offset 1048576
            + "4203" + "78797a",             // data "xyz"
            Convert.ToHexStringLower(wire.ToByteArray()));
    }
}
