using System.Security.Cryptography;

namespace Sealpod.Vmm.Acceleration;

/// <summary>
/// Boot-test verdicts on disk, one small file per key, so the cost of a test boot is paid once
/// per (host boot, KVM modules, hypervisor binary, kernel) rather than at every sandbox start.
/// </summary>
internal sealed class AcceleratorCache(string directory)
{
    private const string KeyField = "key=";
    private const string AcceleratorField = "accelerator=";
    private const string ReasonField = "reason=";

    /// <summary>The verdict stored for <paramref name="key"/>, or null.</summary>
    public (Accelerator Accelerator, string Reason)? TryRead(string key)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(PathFor(key));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The file name is a hash; the stored key guards against collisions and hand-edited files.
        if (lines.Length < 3 || lines[0] != KeyField + Flatten(key)
            || !lines[1].StartsWith(AcceleratorField, StringComparison.Ordinal)
            || !lines[2].StartsWith(ReasonField, StringComparison.Ordinal))
        {
            return null;
        }

        Accelerator? accelerator = lines[1][AcceleratorField.Length..] switch
        {
            "kvm" => Accelerator.Kvm,
            "tcg" => Accelerator.Tcg,
            _ => null,
        };
        return accelerator is { } a ? (a, lines[2][ReasonField.Length..]) : null;
    }

    /// <summary>Stores a verdict atomically (write then rename), so a concurrent reader never sees half a file.</summary>
    public void Write(string key, Accelerator accelerator, string reason)
    {
        Directory.CreateDirectory(directory);
        var target = PathFor(key);
        var temp = target + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        try
        {
            File.WriteAllLines(temp,
            [
                KeyField + Flatten(key),
                AcceleratorField + (accelerator == Accelerator.Kvm ? "kvm" : "tcg"),
                ReasonField + Flatten(reason),
            ]);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private string PathFor(string key)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return Path.Combine(directory, "accel-" + hash[..16]);
    }

    private static string Flatten(string text) => text.ReplaceLineEndings(" ");
}
