namespace Sealpod.Agent.Images;

/// <summary>The two calls unpacking needs that Sealpod.Linux has no other user for.</summary>
internal static partial class LayerNative
{
    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Link(string existing, string created);

    /// <summary>glibc's makedev: the dev_t of a major and minor number.</summary>
    public static ulong MakeDevice(long major, long minor)
    {
        var ma = (ulong)major;
        var mi = (ulong)minor;
        return ((ma & 0xfffff000UL) << 32) | ((ma & 0xfffUL) << 8) | ((mi & 0xffffff00UL) << 12) | (mi & 0xffUL);
    }
}
