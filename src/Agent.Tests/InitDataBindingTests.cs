using Microsoft.Extensions.Logging;
using Sealpod.Agent.Attestation;
using Sealpod.Agent.InitData;

namespace Sealpod.Agent.Tests;

/// <summary>
/// The agent's Init-Data boot step checking the disk against the TEE report. There is no SEV-SNP or TDX hardware here,
/// so the report interface is a stand-in handing over blobs built field by field at the offsets of the AMD SEV-SNP ABI
/// (ATTESTATION_REPORT) and the Intel TDX specifications (quote v4/v5 TD quote body, TDREPORT_STRUCT); everything after
/// it (parsing, the freshness and digest checks, the power-off) is the agent's own code path, with a real Init-Data disk
/// the host-side writer produced.
/// </summary>
public sealed class InitDataBindingTests() : InitDataDiskTest("sealpod-binding-")
{
    private static readonly InitDataDocument Other = InitDataDocument.Create(InitDataAlgorithm.Sha384, new Dictionary<string, string>
    {
        ["aa.toml"] = "[token_configs.kbs]\nurl = \"http://198.51.100.66:8080\"\n",
    });

    private readonly Lines _log = new();
    private int _powerOffs;

    public static TheoryData<string> Layouts => ["snp", "tdx-quote-v4", "tdx-quote-v5", "tdreport"];

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task The_disk_whose_digest_the_hardware_carries_boots_and_its_policy_is_in_force(string layout)
    {
        var (booted, policy) = await BootWithDiskAsync(layout, Document);

        Assert.True(booted, string.Join('\n', _log.All));
        Assert.Equal(0, _powerOffs);
        Assert.Equal(InitDataPolicy.Source, policy.Current.Source);
        Assert.Contains(_log.All, l => l.StartsWith($"Information: Init-Data binding: Init-Data digest {Document.Digest} matches the ", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task A_disk_the_host_swapped_powers_the_guest_off_naming_both_digests(string layout)
    {
        var (booted, policy) = await BootWithDiskAsync(layout, Other);

        Assert.False(booted);
        Assert.Equal(1, _powerOffs);
        Assert.Equal(AgentPolicy.ConfidentialDefault.Source, policy.Current.Source);
        var field = layout == "snp" ? "HOST_DATA" : "MRCONFIGID";
        var size = layout == "snp" ? 32 : 48;
        Assert.Equal(
            $"Critical: failing the boot: the Init-Data digest {Other.Digest} fitted to {field}'s {size} bytes is {Convert.ToHexStringLower(Other.Digest.Fit(size))}, "
            + $"but the {(layout == "snp" ? "SEV-SNP" : "TDX")} report (test:{layout}) carries {field} {Convert.ToHexStringLower(Document.Digest.Fit(size))}",
            _log.All[^1]);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task A_bound_digest_without_a_disk_powers_the_guest_off(string layout)
    {
        var booted = await Step(Reports(layout, Bound(layout, Document)), Policy()).RunAsync(CancellationToken.None);

        Assert.False(booted);
        Assert.Equal(1, _powerOffs);
        Assert.EndsWith(", but no Init-Data disk is present", _log.All[^1], StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(Bound(layout, Document)), _log.All[^1], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task No_disk_and_a_zero_field_boots(string layout)
    {
        var booted = await Step(Reports(layout, new byte[layout == "snp" ? 32 : 48]), Policy()).RunAsync(CancellationToken.None);

        Assert.True(booted);
        Assert.Equal(0, _powerOffs);
        Assert.Contains(_log.All, l => l.EndsWith(" is zero", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_report_that_does_not_carry_the_agents_nonce_powers_the_guest_off()
    {
        await WriteDiskAsync("vdb", Document);
        var replayed = new FakeReports(_ => new RawTeeReport(TeeReportFormat.SnpAttestationReport, SnpReport(new byte[64], Bound("snp", Document)), "test:snp"));

        Assert.False(await Step(replayed, Policy()).RunAsync(CancellationToken.None));

        Assert.Equal(1, _powerOffs);
        Assert.Equal("Critical: failing the boot: test:snp: the SEV-SNP report does not carry the report data the agent asked for: it is not a fresh report", _log.All[^1]);
    }

    [Fact]
    public async Task A_truncated_report_powers_the_guest_off_naming_its_size()
    {
        await WriteDiskAsync("vdb", Document);
        var truncated = new FakeReports(nonce => new RawTeeReport(TeeReportFormat.SnpAttestationReport, SnpReport(nonce, Bound("snp", Document))[..0x2A0], "test:snp"));

        Assert.False(await Step(truncated, Policy()).RunAsync(CancellationToken.None));

        Assert.Equal("Critical: failing the boot: test:snp: expected an SEV-SNP attestation report of 1184 bytes, found 672", _log.All[^1]);
    }

    [Fact]
    public async Task Init_data_in_a_confidential_guest_without_a_report_interface_powers_the_guest_off()
    {
        await WriteDiskAsync("vdb", Document);

        // The agent's own sources under a root with no configfs-tsm, /dev/sev-guest or /dev/tdx_guest (SEV, SEV-ES, SE).
        Assert.False(await Step(GuestTeeReportSource.Under(Temp.Path), Policy()).RunAsync(CancellationToken.None));

        Assert.Equal(1, _powerOffs);
        Assert.StartsWith("Critical: failing the boot: an Init-Data disk is present in a confidential guest, but there is no TEE report", _log.All[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_interface_that_has_a_report_answers()
    {
        var none = new FakeReports(_ => null);
        var snp = new FakeReports(nonce => new RawTeeReport(TeeReportFormat.SnpAttestationReport, SnpReport(nonce, new byte[32]), "first"));
        var never = new FakeReports(_ => throw new InvalidOperationException("asked after an interface answered"));

        var report = await new GuestTeeReportSource([none, snp, never]).ReadAsync(new byte[64], CancellationToken.None);

        Assert.Equal("first", report!.Origin);
        Assert.Equal((1, 1, 0), (none.Calls, snp.Calls, never.Calls));
    }

    [Fact]
    public void The_ioctl_numbers_are_the_kernel_headers()
    {
        // include/uapi/linux/sev-guest.h SNP_GET_REPORT = _IOWR('S', 0x0, struct snp_guest_request_ioctl /* 32 bytes */);
        // include/uapi/linux/tdx-guest.h TDX_CMD_GET_REPORT0 = _IOWR('T', 1, struct tdx_report_req /* 64 + 1024 bytes */).
        Assert.Equal((nuint)0xC0205300, SevGuestDeviceReportSource.SnpGetReport);
        Assert.Equal((nuint)0xC4405401, TdxGuestDeviceReportSource.GetReport0);
    }

    [Fact]
    public async Task Outside_a_confidential_guest_no_report_is_read()
    {
        await WriteDiskAsync("vdb", Document);
        var reports = new FakeReports(_ => throw new InvalidOperationException("no report may be read outside a TEE"));

        Assert.True(await Step(reports, Policy(), confidential: false).RunAsync(CancellationToken.None));

        Assert.Equal(0, reports.Calls);
        Assert.Contains("Information: Init-Data binding: not a confidential guest: Init-Data is not bound to hardware", _log.All);
    }

    [Fact]
    public void The_layouts_take_each_field_from_its_specification_offset()
    {
        var nonce = Enumerable.Range(0, 64).Select(i => (byte)(0x40 + i)).ToArray();
        var hostData = Enumerable.Range(0, 32).Select(i => (byte)(0x80 + i)).ToArray();
        var mrConfigId = Enumerable.Range(0, 48).Select(i => (byte)(0xC0 + i)).ToArray();

        var snp = TeeReportParser.Parse(new RawTeeReport(TeeReportFormat.SnpAttestationReport, SnpReport(nonce, hostData), "snp"));
        var v4 = TeeReportParser.Parse(new RawTeeReport(TeeReportFormat.TdxQuote, TdxQuote(4, nonce, mrConfigId), "v4"));
        var v5 = TeeReportParser.Parse(new RawTeeReport(TeeReportFormat.TdxQuote, TdxQuote(5, nonce, mrConfigId), "v5"));
        var tdReport = TeeReportParser.Parse(new RawTeeReport(TeeReportFormat.TdReport, TdReport(nonce, mrConfigId), "tdreport"));

        Assert.Equal(hostData, snp.BoundData.ToArray());
        Assert.Equal(nonce, snp.ReportData.ToArray());
        Assert.All([v4, v5, tdReport], r => Assert.Equal(mrConfigId, r.BoundData.ToArray()));
        Assert.All([v4, v5, tdReport], r => Assert.Equal(nonce, r.ReportData.ToArray()));
        Assert.Equal("expected a TDX quote (TEE type 0x81), found TEE type 0x0",
            Assert.Throws<TeeReportException>(() => Sealpod.Agent.Attestation.TdxQuote.Parse(SgxQuoteHeader(), "q")).Message[3..]);
    }

    // --- report blobs, field by field at the specifications' offsets; every neighbouring field is filled too, so a
    // parser reading one field off would read a wrong, non-zero value.

    /// <summary>AMD SEV-SNP ABI, ATTESTATION_REPORT: 0x4A0 bytes.</summary>
    private static byte[] SnpReport(ReadOnlySpan<byte> reportData, ReadOnlySpan<byte> hostData)
    {
        var report = new byte[0x4A0];
        BinaryPrimitives.WriteUInt32LittleEndian(report.AsSpan(0x00), 2); // VERSION
        BinaryPrimitives.WriteUInt64LittleEndian(report.AsSpan(0x08), 0x30000); // POLICY
        report.AsSpan(0x48, 8).Fill(0x11); // FLAGS, reserved
        reportData.CopyTo(report.AsSpan(0x50)); // REPORT_DATA, 64
        report.AsSpan(0x90, 48).Fill(0xAA); // MEASUREMENT, 48
        hostData.CopyTo(report.AsSpan(0xC0)); // HOST_DATA, 32
        report.AsSpan(0xE0, 48).Fill(0xBB); // ID_KEY_DIGEST, 48
        report.AsSpan(0x2A0, 144).Fill(0x5A); // SIGNATURE r, s
        return report;
    }

    /// <summary>Intel TDX DCAP quote: 48-byte header, (v5: type 2, size 584), TD 1.0 quote body, then signature data.</summary>
    private static byte[] TdxQuote(ushort version, ReadOnlySpan<byte> reportData, ReadOnlySpan<byte> mrConfigId)
    {
        var bodyAt = version == 5 ? 54 : 48;
        var quote = new byte[bodyAt + 584 + 64];
        BinaryPrimitives.WriteUInt16LittleEndian(quote, version);
        BinaryPrimitives.WriteUInt16LittleEndian(quote.AsSpan(2), 2); // attestation key type: ECDSA-256
        BinaryPrimitives.WriteUInt32LittleEndian(quote.AsSpan(4), 0x81); // TEE type: TDX
        if (version == 5)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(quote.AsSpan(48), 2); // body type: TD 1.0
            BinaryPrimitives.WriteUInt32LittleEndian(quote.AsSpan(50), 584);
        }

        var body = quote.AsSpan(bodyAt);
        body[..16].Fill(0x01); // TEE_TCB_SVN
        body.Slice(16, 96).Fill(0x02); // MRSEAM, MRSIGNERSEAM
        body.Slice(112, 24).Fill(0x03); // SEAMATTRIBUTES, TDATTRIBUTES, XFAM
        body.Slice(136, 48).Fill(0xCC); // MRTD
        mrConfigId.CopyTo(body[184..]); // MRCONFIGID
        body.Slice(232, 288).Fill(0xDD); // MROWNER, MROWNERCONFIG, RTMR0-3
        reportData.CopyTo(body[520..]); // REPORTDATA
        quote.AsSpan(bodyAt + 584).Fill(0x5A); // signature data
        return quote;
    }

    /// <summary>Intel TDX module ABI, TDREPORT_STRUCT: REPORTMACSTRUCT (256), TEE_TCB_INFO (239), reserved (17), TDINFO_STRUCT (512).</summary>
    private static byte[] TdReport(ReadOnlySpan<byte> reportData, ReadOnlySpan<byte> mrConfigId)
    {
        var report = new byte[1024];
        report[0] = 0x81; // REPORTTYPE.TYPE: TDX
        report.AsSpan(32, 96).Fill(0x07); // TEE_TCB_INFO_HASH, TEE_INFO_HASH
        reportData.CopyTo(report.AsSpan(128)); // REPORTDATA
        report.AsSpan(256, 239).Fill(0x08); // TEE_TCB_INFO
        report.AsSpan(512, 16).Fill(0x09); // ATTRIBUTES, XFAM
        report.AsSpan(528, 48).Fill(0xCC); // MRTD
        mrConfigId.CopyTo(report.AsSpan(576)); // MRCONFIGID
        report.AsSpan(624, 96).Fill(0xDD); // MROWNER, MROWNERCONFIG
        return report;
    }

    private static byte[] SgxQuoteHeader()
    {
        var quote = new byte[48 + 584];
        BinaryPrimitives.WriteUInt16LittleEndian(quote, 4);
        return quote;
    }

    private static byte[] Bound(string layout, InitDataDocument document) => document.Digest.Fit(layout == "snp" ? 32 : 48);

    private static FakeReports Reports(string layout, byte[] bound) => new(nonce => layout switch
    {
        "snp" => new RawTeeReport(TeeReportFormat.SnpAttestationReport, SnpReport(nonce, bound), "test:snp"),
        "tdx-quote-v4" => new RawTeeReport(TeeReportFormat.TdxQuote, TdxQuote(4, nonce, bound), "test:" + layout),
        "tdx-quote-v5" => new RawTeeReport(TeeReportFormat.TdxQuote, TdxQuote(5, nonce, bound), "test:" + layout),
        _ => new RawTeeReport(TeeReportFormat.TdReport, TdReport(nonce, bound), "test:" + layout),
    });

    /// <summary>
    /// Boots with <paramref name="onDisk"/> as the Init-Data disk and a <paramref name="layout"/> report bound to
    /// <see cref="InitDataDiskTest.Document"/>: whether the guest booted, and the policy the step left in force.
    /// </summary>
    private async Task<(bool Booted, PolicyEnforcer Policy)> BootWithDiskAsync(string layout, InitDataDocument onDisk)
    {
        await WriteDiskAsync("vdb", onDisk);
        var policy = Policy();
        return (await Step(Reports(layout, Bound(layout, Document)), policy).RunAsync(CancellationToken.None), policy);
    }

    private PolicyEnforcer Policy() => new(AgentPolicy.ConfidentialDefault, _log);

    private InitDataBootStep Step(ITeeReportSource reports, PolicyEnforcer policy, bool confidential = true)
    {
        var finder = new InitDataDiskFinder(Dev, new ScsiDeviceResolver(Temp.Combine("sys"), Dev), TimeSpan.FromSeconds(1), _log, File.Exists);
        var loader = new InitDataLoader(finder, Temp.Combine("run", "initdata"), TimeProvider.System, _log);
        return new InitDataBootStep(loader, reports, confidential, policy, () => _powerOffs++, _log);
    }

    /// <summary>Stands in for configfs-tsm or /dev/sev-guest: builds the blob around the report data the agent sends.</summary>
    private sealed class FakeReports(Func<byte[], RawTeeReport?> build) : ITeeReportSource
    {
        public int Calls { get; private set; }

        public Task<RawTeeReport?> ReadAsync(ReadOnlyMemory<byte> reportData, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(build(reportData.ToArray()));
        }
    }

    private sealed class Lines : ILogger
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> All
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add($"{logLevel}: {formatter(state, exception)}");
            }
        }
    }
}
