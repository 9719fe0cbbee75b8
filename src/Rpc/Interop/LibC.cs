using System.Runtime.InteropServices;

namespace Sealpod.Rpc.Interop;

/// <summary>The few libc calls the library needs; blittable signatures only, so NativeAOT needs no marshalling.</summary>
internal static partial class LibC
{
    [LibraryImport("libc", EntryPoint = "geteuid")]
    internal static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "getegid")]
    internal static partial uint GetEffectiveGroupId();
}
