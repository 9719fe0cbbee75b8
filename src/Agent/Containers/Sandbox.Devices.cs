namespace Sealpod.Agent.Containers;

internal sealed partial class Sandbox
{
    /// <summary>
    /// Finds the guest node of each device the host attached (waiting for hot-plug) and rewrites the
    /// spec to it: the linux.devices entry at the container path gets the guest's numbers (or is
    /// added), and device cgroup rules that named the host's numbers name the guest's. Returns the
    /// guest nodes by container path, for the spec policy.
    /// </summary>
    private async Task<(OciSpec Spec, Dictionary<string, DeviceNode> Nodes)> MapDevicesAsync(OciSpec spec, IReadOnlyList<DeviceSpec> devices, CancellationToken cancellationToken)
    {
        var nodes = new Dictionary<string, DeviceNode>(StringComparer.Ordinal);
        if (devices.Count == 0)
        {
            return (spec, nodes);
        }

        var linux = spec.Linux ?? new OciLinux { Namespaces = [] };
        var specDevices = new List<OciDevice>(linux.Devices ?? []);
        var rules = new List<OciDeviceRule>(linux.Resources?.Devices ?? []);
        foreach (var device in devices)
        {
            if (string.IsNullOrEmpty(device.ContainerPath) || !device.ContainerPath.StartsWith('/'))
            {
                throw new InvalidArgumentException($"device {device.Id}: container_path '{device.ContainerPath}' is not an absolute path");
            }

            var guestPath = await GuestNodeAsync(device, cancellationToken).ConfigureAwait(false);
            var node = DeviceNode.TryRead(guestPath)
                ?? throw new InvalidArgumentException($"device {device.Id}: {guestPath} is not a device node");
            nodes[device.ContainerPath] = node;

            var index = specDevices.FindIndex(entry => entry.Path == device.ContainerPath);
            if (index >= 0)
            {
                var old = specDevices[index];
                specDevices[index] = old with { Type = node.Type.ToString(), Major = node.Major, Minor = node.Minor };
                for (var i = 0; i < rules.Count; i++)
                {
                    if (rules[i].Major == old.Major && rules[i].Minor == old.Minor)
                    {
                        rules[i] = rules[i] with { Major = node.Major, Minor = node.Minor };
                    }
                }
            }
            else
            {
                specDevices.Add(new OciDevice { Path = device.ContainerPath, Type = node.Type.ToString(), Major = node.Major, Minor = node.Minor, FileMode = node.Mode });
                rules.Add(new OciDeviceRule { Allow = true, Type = node.Type.ToString(), Major = node.Major, Minor = node.Minor, Access = "rwm" });
            }
        }

        var resources = (linux.Resources ?? new OciResources()) with { Devices = rules };
        return (spec with { Linux = linux with { Devices = specDevices, Resources = resources } }, nodes);
    }

    private async Task<string> GuestNodeAsync(DeviceSpec device, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(device.VmPath))
        {
            return device.VmPath.StartsWith("/dev/", StringComparison.Ordinal) && !device.VmPath.Split('/').Contains("..")
                ? device.VmPath
                : throw new InvalidArgumentException($"device {device.Id}: vm_path '{device.VmPath}' is not a path under /dev");
        }

        if (device.Type == "blk")
        {
            return await _deviceResolver.WaitAsync(DeviceAddresses.ParsePci(device.Id), _options.DeviceTimeout, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidArgumentException($"device {device.Id}: type '{device.Type}' needs a vm_path");
    }
}
