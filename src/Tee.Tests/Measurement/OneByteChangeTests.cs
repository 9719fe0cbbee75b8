namespace Sealpod.Tee.Tests.Measurement;

/// <summary>Every measured input is bound: one byte changed anywhere changes every mode's digest.</summary>
public sealed class OneByteChangeTests : IDisposable
{
    private readonly MeasurementFiles _files = new();

    public void Dispose() => _files.Dispose();

    public static TheoryData<MeasurementMode, string> Changes()
    {
        var data = new TheoryData<MeasurementMode, string>();
        foreach (var mode in Enum.GetValues<MeasurementMode>())
        {
            foreach (var what in new[] { "kernel", "initrd", "cmdline", "firmware", "firmware-last-page" })
            {
                data.Add(mode, what);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task One_byte_changes_the_digest(MeasurementMode mode, string what)
    {
        var baseline = Inputs(mode);
        var changed = what switch
        {
            "kernel" => baseline with { Kernel = _files.WithOneByteChanged(_files.Kernel, "kernel2", 5000) },
            "initrd" => baseline with { Initrd = _files.WithOneByteChanged(_files.Initrd, "initrd2", 0) },
            "cmdline" => baseline with { CommandLine = MeasurementFiles.CommandLine.Replace("panic=1", "panic=2", StringComparison.Ordinal) },
            "firmware" => baseline with { Firmware = _files.WithOneByteChanged(_files.Firmware, "ovmf2", 100) },
            _ => baseline with { Firmware = _files.WithOneByteChanged(_files.Firmware, "ovmf3", SyntheticOvmf.Size - 1) },
        };

        var before = await LaunchMeasurement.ComputeAsync(baseline);
        var after = await LaunchMeasurement.ComputeAsync(changed);

        Assert.Equal(mode == MeasurementMode.SevSnp ? 48 : 32, before.Length);
        Assert.NotEqual(Convert.ToHexString(before), Convert.ToHexString(after));
    }

    [Theory]
    [InlineData(MeasurementMode.SevEs)]
    [InlineData(MeasurementMode.SevSnp)]
    public async Task Vcpu_count_and_type_are_measured(MeasurementMode mode)
    {
        var one = await LaunchMeasurement.ComputeAsync(Inputs(mode));
        var two = await LaunchMeasurement.ComputeAsync(Inputs(mode) with { Vcpus = 2 });
        var milan = await LaunchMeasurement.ComputeAsync(Inputs(mode) with { VcpuSignature = VcpuSignature.ForModel("EPYC-Milan")!.Value });

        Assert.Equal(3, new[] { one, two, milan }.Select(Convert.ToHexString).Distinct().Count());
    }

    [Fact]
    public async Task Sev_ignores_vcpus_as_the_psp_does()
    {
        var one = await LaunchMeasurement.ComputeAsync(Inputs(MeasurementMode.Sev));
        var four = await LaunchMeasurement.ComputeAsync(Inputs(MeasurementMode.Sev) with { Vcpus = 4, VcpuSignature = 0xA00F11 });

        Assert.Equal(one, four);
    }

    private MeasurementInputs Inputs(MeasurementMode mode) => new()
    {
        Mode = mode,
        Firmware = _files.Firmware,
        Kernel = _files.Kernel,
        Initrd = _files.Initrd,
        CommandLine = MeasurementFiles.CommandLine,
        Vcpus = 1,
        VcpuSignature = VcpuSignature.ForModel("EPYC-v4")!.Value,
    };
}
