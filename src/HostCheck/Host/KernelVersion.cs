namespace Sealpod.HostCheck.Host;

/// <summary>The numeric part of a kernel release string ("6.11.0-rc3-snp" is 6.11.0).</summary>
public readonly record struct KernelVersion(int Major, int Minor, int Patch) : IComparable<KernelVersion>
{
    public const string ReleasePath = "/proc/sys/kernel/osrelease";

    /// <summary>Upstream SEV-SNP host (hypervisor) support was merged for Linux 6.11.</summary>
    public static readonly KernelVersion SnpHostMinimum = new(6, 11, 0);

    public static bool TryParse(string release, out KernelVersion version)
    {
        version = default;
        var numbers = new int[3];
        var parts = release.Trim().Split('.', 3);
        for (var i = 0; i < parts.Length; i++)
        {
            var digits = new string(parts[i].TakeWhile(char.IsAsciiDigit).ToArray());
            if (digits.Length == 0)
            {
                if (i < 2)
                {
                    return false;
                }

                break;
            }

            numbers[i] = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
            if (digits.Length != parts[i].Length)
            {
                break;
            }
        }

        if (parts.Length < 2)
        {
            return false;
        }

        version = new KernelVersion(numbers[0], numbers[1], numbers[2]);
        return true;
    }

    public int CompareTo(KernelVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major)
        : Minor != other.Minor ? Minor.CompareTo(other.Minor)
        : Patch.CompareTo(other.Patch);

    public static bool operator <(KernelVersion left, KernelVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(KernelVersion left, KernelVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(KernelVersion left, KernelVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(KernelVersion left, KernelVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Major}.{Minor}.{Patch}";
}
