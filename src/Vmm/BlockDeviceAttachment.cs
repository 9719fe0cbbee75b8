namespace Sealpod.Vmm;

/// <summary>A block device attached to the running VM and where the guest will find it.</summary>
/// <param name="Device">What was attached.</param>
/// <param name="Driver">The guest-visible driver, which tells the agent how to read <paramref name="GuestAddress"/>.</param>
/// <param name="GuestAddress">The PCI path or SCSI address of the disk in the guest.</param>
/// <param name="Hotplugged">False for disks on the boot command line, true for disks added to the running VM.</param>
public sealed record BlockDeviceAttachment(BlockDevice Device, GuestBlockDriver Driver, GuestDeviceAddress GuestAddress, bool Hotplugged);
