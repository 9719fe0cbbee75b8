namespace Sealpod.Vmm.Acceleration;

/// <summary>
/// Boots a guest kernel briefly under an accelerator to see whether it really runs. The only
/// reliable test on hosts whose /dev/kvm works for the KVM API but not for stock kernels (PVM).
/// </summary>
public interface IGuestBootTest
{
    /// <summary>Boots <paramref name="kernelPath"/> under <paramref name="accelerator"/>, working in <paramref name="workDirectory"/>.</summary>
    Task<GuestBootTestResult> RunAsync(Accelerator accelerator, string kernelPath, string workDirectory, CancellationToken cancellationToken = default);

    /// <summary>
    /// A string that changes when the boot test would behave differently (hypervisor binary and
    /// its version), so cached verdicts do not outlive an upgrade.
    /// </summary>
    string Identity { get; }
}
