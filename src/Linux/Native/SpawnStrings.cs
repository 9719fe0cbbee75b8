namespace Sealpod.Linux.Native;

/// <summary>
/// NUL-terminated UTF-8 strings and NULL-terminated vectors of them (argv, envp) for posix_spawn, in native memory
/// that lives until the holder is disposed: after the spawn, whether it succeeded or not.
/// </summary>
public sealed unsafe class SpawnStrings : IDisposable
{
    private readonly List<nint> _owned = [];

    /// <exception cref="ArgumentException"><paramref name="text"/> holds a NUL character, which would cut it short.</exception>
    public byte* Utf8(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A string passed to a process holds a NUL character.", nameof(text));
        }

        int length = Encoding.UTF8.GetByteCount(text);
        byte* buffer = (byte*)NativeMemory.Alloc((nuint)length + 1);
        _owned.Add((nint)buffer);
        Encoding.UTF8.GetBytes(text, new Span<byte>(buffer, length));
        buffer[length] = 0;
        return buffer;
    }

    public byte** Vector(IReadOnlyList<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        byte** vector = (byte**)NativeMemory.AllocZeroed((nuint)(items.Count + 1), (nuint)sizeof(byte*));
        _owned.Add((nint)vector);
        for (int i = 0; i < items.Count; i++)
        {
            vector[i] = Utf8(items[i]);
        }

        return vector;
    }

    public void Dispose()
    {
        foreach (var pointer in _owned)
        {
            NativeMemory.Free((void*)pointer);
        }

        _owned.Clear();
    }
}
