namespace Sealpod.Vmm.Lifecycle;

/// <summary>
/// The pod's Init-Data as Kata's initdata disk: written into the VM's directory and attached read-only. The guest agent
/// finds it by its magic; the TEE (when there is one) already carries its digest from the plan.
/// </summary>
internal static class InitDataDisk
{
    /// <summary>
    /// Writes the plan's Init-Data to <paramref name="imagePath"/> and returns <paramref name="spec"/> with the disk
    /// added; returns <paramref name="spec"/> as it is when the pod has none.
    /// </summary>
    public static async Task<VmSpec> AttachAsync(VmSpec spec, TeePlan tee, string imagePath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(tee);
        if (tee.InitData is not { } initData)
        {
            return spec;
        }

        await InitDataImage.WriteFileAsync(imagePath, initData, cancellationToken).ConfigureAwait(false);
        var disk = new BlockDevice { Id = InitDataImage.DiskId, Path = imagePath, ReadOnly = true, Serial = InitDataImage.DiskId };
        return spec with { BlockDevices = [.. spec.BlockDevices, disk] };
    }
}
