namespace Sealpod.HostCheck.Host;

/// <summary>
/// What /proc/cpuinfo says about the first CPU: vendor, model, feature flags and (on s390x) the facility list.
/// All CPUs of a host share these, so the first processor block is enough, as kata-runtime check also assumes.
/// </summary>
public sealed class CpuInfo
{
    public const string Path = "/proc/cpuinfo";

    private CpuInfo(CpuVendor vendor, string vendorId, string modelName, IReadOnlySet<string> flags, IReadOnlySet<int> facilities)
    {
        Vendor = vendor;
        VendorId = vendorId;
        ModelName = modelName;
        Flags = flags;
        Facilities = facilities;
    }

    public CpuVendor Vendor { get; }

    /// <summary>The vendor_id field as written (AuthenticAMD, GenuineIntel, IBM/S390).</summary>
    public string VendorId { get; }

    public string ModelName { get; }

    /// <summary>x86 "flags", s390x "features" or arm64 "Features".</summary>
    public IReadOnlySet<string> Flags { get; }

    /// <summary>s390x STFLE facility numbers from the "facilities" line; empty elsewhere.</summary>
    public IReadOnlySet<int> Facilities { get; }

    public CpuArchitecture Architecture => Vendor switch
    {
        CpuVendor.Amd or CpuVendor.Intel => CpuArchitecture.X86_64,
        CpuVendor.Ibm => CpuArchitecture.S390x,
        CpuVendor.Arm => CpuArchitecture.Aarch64,
        _ => CpuArchitecture.Unknown,
    };

    public bool HasFlag(string flag) => Flags.Contains(flag);

    public static CpuInfo Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string vendorId = "", model = "", implementer = "";
        HashSet<string>? flags = null;
        HashSet<int>? facilities = null;
        var sawProcessor = false;
        foreach (var rawLine in text.Split('\n'))
        {
            var colon = rawLine.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var key = rawLine[..colon].Trim();
            var value = rawLine[(colon + 1)..].Trim();

            // x86 starts each CPU with "processor : N"; stop at the second one so the first CPU's values win.
            if (key == "processor" && !value.Contains(' ', StringComparison.Ordinal))
            {
                if (sawProcessor)
                {
                    break;
                }

                sawProcessor = true;
                continue;
            }

            switch (key)
            {
                case "vendor_id":
                    vendorId = value.Length > 0 && vendorId.Length == 0 ? value : vendorId;
                    break;
                case "model name":
                    model = model.Length == 0 ? value : model;
                    break;
                case "CPU implementer":
                    implementer = implementer.Length == 0 ? value : implementer;
                    break;
                case "flags" or "features" or "Features":
                    flags ??= new HashSet<string>(value.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
                    break;
                case "facilities":
                    facilities ??= ParseFacilities(value);
                    break;
            }
        }

        var vendor = vendorId switch
        {
            "AuthenticAMD" => CpuVendor.Amd,
            "GenuineIntel" => CpuVendor.Intel,
            _ when vendorId.StartsWith("IBM/S390", StringComparison.Ordinal) => CpuVendor.Ibm,
            _ when implementer.Length > 0 => CpuVendor.Arm,
            _ => CpuVendor.Unknown,
        };

        return new CpuInfo(
            vendor,
            vendorId.Length > 0 ? vendorId : implementer,
            model,
            flags ?? new HashSet<string>(StringComparer.Ordinal),
            facilities ?? []);
    }

    private static HashSet<int> ParseFacilities(string value)
    {
        var result = new HashSet<int>();
        foreach (var token in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(token, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
            {
                result.Add(number);
            }
        }

        return result;
    }
}
