namespace Sealpod.Vmm.Acceleration;

/// <summary>The outcome of an <see cref="IGuestBootTest"/>.</summary>
/// <param name="Booted">Whether the kernel ran to a point only a working vCPU reaches.</param>
/// <param name="Detail">What was observed, for the log and the decision's reason.</param>
public sealed record GuestBootTestResult(bool Booted, string Detail);
