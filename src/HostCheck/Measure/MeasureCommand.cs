using System.Security.Cryptography;
using Sealpod.HostCheck.Cli;
using Sealpod.Tee.KernelParams;
using Sealpod.Tee.Measurement;
using Sealpod.Vmm;

namespace Sealpod.HostCheck.Measure;

/// <summary>
/// <c>sealpod measure</c>: the AMD launch measurement of a configuration as the shim launches it (<c>--config</c>), or of
/// inputs given with sev-snp-measure's own flags, so the SEV guide's command line works with <c>sealpod measure</c> in
/// its place. With <c>--snp-id-key</c> it also signs an SNP ID block for <c>snp_id_block</c> / <c>snp_id_auth</c>.
/// </summary>
public static class MeasureCommand
{
    public const string Usage = """
          measure            the AMD SEV / SEV-ES / SEV-SNP launch measurement of a guest
              --config FILE              a configuration, measured as the shim launches it (firmware, kernel,
                                         initrd, the exact kernel command line, vCPUs, CPU model); --vcpus,
                                         --vcpu-type/--vcpu-sig describe the SEV host when it is not this one
            or sev-snp-measure's inputs:
              --mode sev|seves|snp       (with --config: overrides the TEE the configuration's keys choose)
              --ovmf FILE  --kernel FILE  --initrd FILE  --append CMDLINE
              --vcpus N  --vcpu-type EPYC-v4|EPYC-Milan|EPYC-Genoa|...  --vcpu-sig N
              --vcpu-family F --vcpu-model M --vcpu-stepping S
              --guest-features N         SNP SEV_FEATURES (default 0x1)
              --snp-ovmf-hash HEX        precomputed SNP digest of the firmware pages
              --output-format hex|base64 (default hex)
              --verbose, -v              name the mode and, with --config, the measured inputs (on stderr)
            SNP ID block (for snp_id_block / snp_id_auth):
              --snp-id-key PEM           ECDSA P-384 ID key; --snp-author-key PEM optional author key
              --snp-policy N  --snp-family-id HEX  --snp-image-id HEX  --snp-guest-svn N
              --id-block-out FILE --id-auth-out FILE  (default: printed as TOML lines)
        """;

    private static readonly HashSet<string> Flags = ["--verbose", "-v"];

    private static readonly HashSet<string> ValueOptions =
    [
        "--config", "--mode", "--ovmf", "--kernel", "--initrd", "--append", "--vcpus", "--vcpu-type", "--vcpu-sig",
        "--vcpu-family", "--vcpu-model", "--vcpu-stepping", "--guest-features", "--snp-ovmf-hash", "--output-format",
        "--snp-id-key", "--snp-author-key", "--snp-policy", "--snp-family-id", "--snp-image-id", "--snp-guest-svn",
        "--id-block-out", "--id-auth-out",
    ];

    /// <summary>Runs the command; usage errors throw <see cref="CliUsageException"/>.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var options = CliOptions.Parse(WithoutEmptyAppend(args), Flags, ValueOptions);
        var verbose = options.Has("--verbose") || options.Has("-v");
        var format = options.Value("--output-format") ?? "hex";
        if (format is not ("hex" or "base64"))
        {
            throw new CliUsageException($"--output-format must be hex or base64, got '{format}'");
        }

        var mode = options.Value("--mode") is { } modeText
            ? MeasurementModes.Parse(modeText) ?? throw new CliUsageException($"--mode must be sev, seves or snp, got '{modeText}'")
            : (MeasurementMode?)null;

        try
        {
            var (inputs, policy) = options.Value("--config") is { } config
                ? await FromConfigAsync(config, mode, options, host, verbose, cancellationToken).ConfigureAwait(false)
                : (FromFlags(mode, options), (ulong?)null);
            var digest = await LaunchMeasurement.ComputeAsync(inputs, cancellationToken).ConfigureAwait(false);
            var text = format == "hex" ? Convert.ToHexStringLower(digest) : Convert.ToBase64String(digest);
            host.Out.WriteLine(verbose ? $"Calculated {inputs.Mode.Describe()} guest measurement: {text}" : text);

            if (options.Value("--snp-id-key") is { } idKey)
            {
                await WriteIdBlockAsync(inputs, digest, idKey, policy, options, host, cancellationToken).ConfigureAwait(false);
            }
            else if (IdBlockOptions.Any(o => options.Value(o) is not null))
            {
                throw new CliUsageException("the SNP ID block options need --snp-id-key PEM");
            }

            return SealpodCli.ExitOk;
        }
        catch (Exception e) when (e is MeasurementException or ConfigurationException or Tee.Launch.TeeConfigurationException)
        {
            host.Error.WriteLine($"sealpod measure: {e.Message}");
            return SealpodCli.ExitFailed;
        }
    }

    private static readonly string[] IdBlockOptions = ["--snp-author-key", "--snp-policy", "--snp-family-id", "--snp-image-id", "--snp-guest-svn", "--id-block-out", "--id-auth-out"];

    private static readonly string[] DirectInputs = ["--ovmf", "--kernel", "--initrd", "--append"];

    private static async Task<(MeasurementInputs Inputs, ulong? Policy)> FromConfigAsync(
        string path, MeasurementMode? mode, CliOptions options, CliHost host, bool verbose, CancellationToken cancellationToken)
    {
        if (DirectInputs.FirstOrDefault(o => options.Value(o) is not null) is { } conflicting)
        {
            throw new CliUsageException($"{conflicting} cannot be combined with --config: the configuration says what is launched");
        }

        var loader = new ConfigurationLoader(new ConfigurationLoaderOptions());
        var file = loader.ResolveConfigurationPath(path);
        var configuration = await loader.LoadFileAsync(file, cancellationToken).ConfigureAwait(false);
        var resolved = ConfiguredMeasurement.Resolve(configuration, file, mode, HostResources.Detect());
        var signature = VcpuSignatureOption(options, resolved.Inputs.Mode)
            ?? (resolved.CpuModel == "host" ? HostSignature(host.Cpuid) : resolved.Inputs.VcpuSignature);
        var inputs = resolved.Inputs with
        {
            // The shim caps vCPUs at this machine's CPUs; measuring for a larger SEV host, --vcpus says how many it gets.
            Vcpus = options.Value("--vcpus") is { } vcpus ? Vcpus(vcpus) : resolved.Inputs.Vcpus,
            VcpuSignature = signature,
            GuestFeatures = GuestFeatures(options),
            SnpOvmfHash = SnpOvmfHash(options),
        };
        if (verbose)
        {
            host.Error.WriteLine($"configuration: {file}");
            host.Error.WriteLine($"  firmware: {inputs.Firmware}");
            host.Error.WriteLine($"  kernel:   {inputs.Kernel ?? "(not measured: kernel-hashes is off)"}");
            host.Error.WriteLine($"  initrd:   {inputs.Initrd ?? "(none)"}");
            host.Error.WriteLine($"  cmdline:  {KernelParameterRedaction.Redact(inputs.CommandLine)}");
            host.Error.WriteLine($"  vcpus:    {inputs.Vcpus} x {resolved.CpuModel} (signature 0x{inputs.VcpuSignature:x})");
        }

        return (inputs, resolved.Policy);
    }

    private static MeasurementInputs FromFlags(MeasurementMode? mode, CliOptions options)
    {
        var chosen = mode ?? throw new CliUsageException("measure needs --config FILE or --mode sev|seves|snp with --ovmf FILE");
        var ovmf = options.Value("--ovmf") ?? throw new CliUsageException("--ovmf FILE is required without --config");
        var kernel = options.Value("--kernel");
        if (kernel is null && (options.Value("--initrd") is not null || options.Value("--append") is not null))
        {
            throw new CliUsageException("--initrd and --append are measured with the kernel: add --kernel FILE");
        }

        int vcpus = 1;
        if (chosen != MeasurementMode.Sev)
        {
            vcpus = Vcpus(options.Value("--vcpus") ?? throw new CliUsageException($"--vcpus N is required with --mode {options.Value("--mode")}"));
        }

        var signature = VcpuSignatureOption(options, chosen);
        if (signature is null && chosen != MeasurementMode.Sev)
        {
            throw new CliUsageException($"--mode {options.Value("--mode")} needs --vcpu-type, --vcpu-sig or --vcpu-family/--vcpu-model/--vcpu-stepping");
        }

        return new MeasurementInputs
        {
            Mode = chosen,
            Firmware = ovmf,
            Kernel = kernel,
            Initrd = options.Value("--initrd"),
            CommandLine = options.Value("--append") ?? string.Empty,
            Vcpus = vcpus,
            VcpuSignature = signature ?? 0,
            GuestFeatures = GuestFeatures(options),
            SnpOvmfHash = SnpOvmfHash(options),
        };
    }

    private static int Vcpus(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 512
            ? n
            : throw new CliUsageException($"--vcpus must be a number from 1 to 512, got '{text}'");

    private static uint? VcpuSignatureOption(CliOptions options, MeasurementMode mode)
    {
        if (options.Value("--vcpu-family") is { } family)
        {
            return VcpuSignature.Of(
                (int)Number("--vcpu-family", family, 0xFF + 0xF),
                (int)Number("--vcpu-model", options.Value("--vcpu-model") ?? throw new CliUsageException("--vcpu-family needs --vcpu-model"), 0xFF),
                (int)Number("--vcpu-stepping", options.Value("--vcpu-stepping") ?? throw new CliUsageException("--vcpu-family needs --vcpu-stepping"), 0xF));
        }

        if (options.Value("--vcpu-sig") is { } sig)
        {
            return (uint)Number("--vcpu-sig", sig, uint.MaxValue);
        }

        if (options.Value("--vcpu-type") is { } type)
        {
            return VcpuSignature.ForModel(type)
                ?? throw new CliUsageException($"--vcpu-type '{type}' is not known; one of {string.Join(", ", VcpuSignature.KnownModels)}, or give --vcpu-sig");
        }

        return mode == MeasurementMode.Sev ? 0 : null;
    }

    private static uint HostSignature(ICpuid cpuid) =>
        VcpuSignature.OfHost(cpuid)
            ?? throw new MeasurementException("the configuration's CPU model is 'host' and this machine has no CPUID: give the SEV host's CPU with --vcpu-type or --vcpu-sig");

    private static ulong GuestFeatures(CliOptions options) =>
        options.Value("--guest-features") is { } text ? Number("--guest-features", text, ulong.MaxValue) : 0x1;

    private static byte[]? SnpOvmfHash(CliOptions options) =>
        options.Value("--snp-ovmf-hash") is { } hex ? Hex("--snp-ovmf-hash", hex, SnpLaunchDigest.Size) : null;

    private static async Task WriteIdBlockAsync(MeasurementInputs inputs, byte[] digest, string idKeyPath, ulong? configuredPolicy, CliOptions options, CliHost host, CancellationToken cancellationToken)
    {
        if (inputs.Mode != MeasurementMode.SevSnp)
        {
            throw new CliUsageException("--snp-id-key signs an SEV-SNP ID block: it needs --mode snp (or an SEV-SNP configuration)");
        }

        var block = new SnpIdBlock
        {
            LaunchDigest = digest,
            Policy = options.Value("--snp-policy") is { } p ? Number("--snp-policy", p, ulong.MaxValue) : configuredPolicy ?? SnpIdBlock.DefaultPolicy,
            FamilyId = options.Value("--snp-family-id") is { } f ? Hex("--snp-family-id", f, 16) : new byte[16],
            ImageId = options.Value("--snp-image-id") is { } i ? Hex("--snp-image-id", i, 16) : new byte[16],
            GuestSvn = options.Value("--snp-guest-svn") is { } s ? (uint)Number("--snp-guest-svn", s, uint.MaxValue) : 0,
        }.ToBytes();

        using var idKey = await LoadKeyAsync("--snp-id-key", idKeyPath, cancellationToken).ConfigureAwait(false);
        using var authorKey = options.Value("--snp-author-key") is { } authorPath ? await LoadKeyAsync("--snp-author-key", authorPath, cancellationToken).ConfigureAwait(false) : null;
        var auth = SnpIdAuth.Create(block, idKey, authorKey);
        var blockText = Convert.ToBase64String(block);
        var authText = Convert.ToBase64String(auth);

        if (options.Value("--id-block-out") is { } blockOut)
        {
            await File.WriteAllTextAsync(blockOut, blockText + "\n", cancellationToken).ConfigureAwait(false);
            host.Error.WriteLine($"wrote the ID block to {blockOut}");
        }
        else
        {
            host.Out.WriteLine($"snp_id_block = \"{blockText}\"");
        }

        if (options.Value("--id-auth-out") is { } authOut)
        {
            await File.WriteAllTextAsync(authOut, authText + "\n", cancellationToken).ConfigureAwait(false);
            host.Error.WriteLine($"wrote the ID auth to {authOut}");
        }
        else
        {
            host.Out.WriteLine($"snp_id_auth = \"{authText}\"");
        }

        // What a verifier compares with the attestation report's ID_KEY_DIGEST / AUTHOR_KEY_DIGEST.
        host.Out.WriteLine($"# id_key_digest = {Convert.ToBase64String(SnpIdAuth.KeyDigest(idKey))}");
        if (authorKey is not null)
        {
            host.Out.WriteLine($"# author_key_digest = {Convert.ToBase64String(SnpIdAuth.KeyDigest(authorKey))}");
            host.Error.WriteLine("note: an author key is only checked when QEMU launches with author-key-enabled=on, which Sealpod's configuration does not set");
        }
    }

    private static async Task<ECDsa> LoadKeyAsync(string option, string path, CancellationToken cancellationToken)
    {
        string pem;
        try
        {
            pem = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MeasurementException($"{option} {path}: cannot read: {e.Message}", e);
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new MeasurementException($"{option} {path}: not a PEM ECDSA P-384 private key ({e.Message})", e);
        }
    }

    private static ulong Number(string option, string text, ulong max)
    {
        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        return ok && value <= max ? value : throw new CliUsageException($"{option} must be a number (decimal or 0x hex) up to {max}, got '{text}'");
    }

    private static byte[] Hex(string option, string text, int bytes)
    {
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        try
        {
            var value = Convert.FromHexString(hex);
            return value.Length == bytes ? value : throw new CliUsageException($"{option} must be {bytes} bytes ({2 * bytes} hex digits), got {value.Length}");
        }
        catch (FormatException)
        {
            throw new CliUsageException($"{option} must be {2 * bytes} hex digits, got '{text}'");
        }
    }

    // sev-snp-measure accepts --append "" (an empty command line, measured as a lone NUL, as no --append is).
    private static List<string> WithoutEmptyAppend(IReadOnlyList<string> args)
    {
        var kept = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--append" && i + 1 < args.Count && args[i + 1].Length == 0)
            {
                i++;
                continue;
            }

            if (args[i] == "--append=")
            {
                continue;
            }

            kept.Add(args[i]);
        }

        return kept;
    }
}
