using System.Runtime.InteropServices;
using System.Text;

namespace Sealpod.Agent.Native;

/// <summary>
/// A block of NUL-terminated UTF-8 strings and the NULL-terminated pointer array over them, as
/// argv/envp need. One allocation, freed on dispose.
/// </summary>
internal sealed unsafe class NativeStrings : IDisposable
{
    private byte* _block;

    public NativeStrings(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var pointerBytes = (values.Count + 1) * sizeof(byte*);
        var textBytes = 0;
        foreach (var value in values)
        {
            if (value.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException("A string passed to a process holds a NUL character.", nameof(values));
            }

            textBytes += Encoding.UTF8.GetByteCount(value) + 1;
        }

        _block = (byte*)NativeMemory.Alloc((nuint)(pointerBytes + textBytes));
        var pointers = (byte**)_block;
        var text = _block + pointerBytes;
        for (var i = 0; i < values.Count; i++)
        {
            pointers[i] = text;
            var written = Encoding.UTF8.GetBytes(values[i], new Span<byte>(text, textBytes));
            text[written] = 0;
            text += written + 1;
            textBytes -= written + 1;
        }

        pointers[values.Count] = null;
    }

    /// <summary>The NULL-terminated array of string pointers.</summary>
    public byte** Pointers => (byte**)_block;

    /// <summary>The first string (for example the program path), or null when empty.</summary>
    public byte* First => Pointers[0];

    public void Dispose()
    {
        if (_block != null)
        {
            NativeMemory.Free(_block);
            _block = null;
        }
    }
}
