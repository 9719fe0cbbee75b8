namespace Sealpod.HostCheck.Configuration;

/// <summary>A host file the configuration names and the VMM will open.</summary>
/// <param name="CheckId">The check that reports on it (config.kernel, config.firmware...).</param>
/// <param name="Key">The configuration key, e.g. hypervisor.qemu.kernel.</param>
/// <param name="Path">The value of the key; empty when the key is unset.</param>
/// <param name="MustExecute">True for programs (the hypervisor binary).</param>
/// <param name="Required">An unset key is a failure (the VMM cannot start without it) rather than a skip.</param>
public sealed record ConfigAsset(string CheckId, string Key, string Path, bool MustExecute, bool Required);
