namespace Sealpod.Vmm.Tests.Qmp;

/// <summary>What the QEMU driver reads from an event's data (SHUTDOWN's reason, DEVICE_DELETED's device).</summary>
public sealed class QmpEventTests
{
    [Fact]
    public void A_string_member_is_read_and_anything_else_is_null()
    {
        using var document = JsonDocument.Parse("""{"device": "blk0", "n": 1}""");
        var qmpEvent = new QmpEvent("DEVICE_DELETED", document.RootElement, DateTimeOffset.UnixEpoch);

        Assert.Equal("blk0", qmpEvent.GetDataString("device"));
        Assert.Null(qmpEvent.GetDataString("n"));
        Assert.Null(qmpEvent.GetDataString("path"));
    }

    // Found by fuzzing (make fuzz, target qmp): a device name with a byte that is not UTF-8 threw InvalidOperationException
    // out of GetDataString, into the driver's event loop.
    [Fact]
    public void A_member_whose_bytes_are_not_utf8_reads_as_null()
    {
        using var document = JsonDocument.Parse(new byte[] { 0x7B, 0x22, 0x64, 0x22, 0x3A, 0x22, 0x9D, 0x6C, 0x6B, 0x22, 0x7D });
        var qmpEvent = new QmpEvent("DEVICE_DELETED", document.RootElement, DateTimeOffset.UnixEpoch);

        Assert.Null(qmpEvent.GetDataString("d"));
    }
}
