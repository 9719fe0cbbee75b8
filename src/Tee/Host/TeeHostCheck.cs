namespace Sealpod.Tee.Host;

/// <summary>The verdict on one TEE for this host: supported or not, and the file that decided it.</summary>
/// <param name="Kind">The TEE asked about.</param>
/// <param name="IsSupported">Whether the host can launch it.</param>
/// <param name="CheckedFile">The file read (the host path, independent of the probe root), for messages.</param>
/// <param name="Reason">Why not, or what was found.</param>
public sealed record TeeHostCheck(ProtectionKind Kind, bool IsSupported, string CheckedFile, string Reason)
{
    /// <summary>A one-line summary naming the file.</summary>
    public override string ToString() => $"{Kind}: {(IsSupported ? "available" : "not available")} ({CheckedFile}: {Reason})";

    /// <summary>Throws <see cref="TeeHostUnsupportedException"/> when the TEE is not available.</summary>
    public void ThrowIfUnsupported()
    {
        if (!IsSupported)
        {
            throw new TeeHostUnsupportedException(this);
        }
    }
}
