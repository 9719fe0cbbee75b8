namespace Sealpod.Vmm.Acceleration;

/// <summary>The accelerator chosen for a VM and the reason, logged and reported so nobody has to guess.</summary>
/// <param name="Accelerator">The choice.</param>
/// <param name="Reason">Why, in words an operator can act on.</param>
/// <param name="Source">How the choice was reached.</param>
public sealed record AcceleratorDecision(Accelerator Accelerator, string Reason, AcceleratorDecisionSource Source);
