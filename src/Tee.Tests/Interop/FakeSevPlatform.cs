using System.Buffers.Binary;
using System.Text.Json;

namespace Sealpod.Tee.Tests.Interop;

/// <summary>
/// Plays QEMU plus the AMD PSP for a guest started paused with a launch session, because this host has no SEV: it
/// measures the launch (HMAC under the session's TIK over the firmware API version, policy, launch digest and a fresh
/// nonce, as SEV's LAUNCH_MEASURE does), records the injected secret and whether the guest was resumed. The TIK comes
/// from the stand-in broker's session file, which carries it in clear where a real one wraps it for the PSP.
/// The real-QEMU test of the same flow (QMP on QEMU 7.2 without SEV) is in Sealpod.Vmm.Tests.
/// </summary>
internal sealed class FakeSevPlatform(string sessionFile, byte[] measuredDigest, uint policy) : ISevLaunchControl
{
    public const uint ApiMajor = 1;
    public const uint ApiMinor = 55;
    public const uint BuildId = 21;

    public SevLaunchSecret? Injected { get; private set; }

    public bool Resumed { get; private set; }

    public List<string> Calls { get; } = [];

    /// <summary>Makes the named call fail, as a QMP error would.</summary>
    public string? FailOn { get; init; }

    public Task<string> QueryLaunchMeasureAsync(CancellationToken cancellationToken = default)
    {
        Record("query-sev-launch-measure");
        var blob = JsonDocument.Parse(Convert.FromBase64String(File.ReadAllText(sessionFile)));
        var tik = Convert.FromBase64String(blob.RootElement.GetProperty("tik").GetString()!);
        var nonce = RandomNumberGenerator.GetBytes(16);
        var message = new byte[4 + 4 + 32 + 16];
        message[0] = 0x04;
        message[1] = (byte)ApiMajor;
        message[2] = (byte)ApiMinor;
        message[3] = (byte)BuildId;
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(4), policy);
        measuredDigest.CopyTo(message, 8);
        nonce.CopyTo(message, 40);
        return Task.FromResult(Convert.ToBase64String([.. HMACSHA256.HashData(tik, message), .. nonce]));
    }

    public Task<SevGuestStatus> QuerySevAsync(CancellationToken cancellationToken = default)
    {
        Record("query-sev");
        return Task.FromResult(new SevGuestStatus(ApiMajor, ApiMinor, BuildId, policy, "launch-secret"));
    }

    public Task InjectLaunchSecretAsync(SevLaunchSecret secret, CancellationToken cancellationToken = default)
    {
        Record("sev-inject-launch-secret");
        Injected = secret;
        return Task.CompletedTask;
    }

    public Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        Record("cont");
        Resumed = true;
        return Task.CompletedTask;
    }

    private void Record(string command)
    {
        Calls.Add(command);
        if (command == FailOn)
        {
            throw new InvalidOperationException($"QMP command {command} failed: GenericError: simulated failure");
        }
    }
}
