using Sealpod.Vmm;
using Sealpod.Vmm.CloudHypervisor;
using Sealpod.Vmm.CloudHypervisor.Api;

namespace Sealpod.Fuzz.Targets;

/// <summary>
/// Cloud Hypervisor's API answers as the driver reads them: the first byte picks the endpoint (vmm.ping, vm.info,
/// vm.add-disk), the rest is the 200 response's body, read by <see cref="ClhApiClient"/>'s own body reader and then
/// used as the driver uses it (the PCI address of every disk). Documented: ClhApiException (not JSON of that shape)
/// and HypervisorException (a PCI address the driver cannot place).
/// </summary>
internal sealed class ClhResponseTarget() : FuzzTarget("clh-response", "Cloud Hypervisor API response bodies: vmm.ping, vm.info, vm.add-disk (src/Vmm/CloudHypervisor)")
{
    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        var body = input[1..].ToArray();
        switch (input[0] % 3)
        {
            case 0:
                _ = Read(body, "vmm.ping", ClhJsonContext.Default.VmmPingResponse).Version?.Length;
                break;
            case 1:
                var info = Read(body, "vm.info", ClhJsonContext.Default.VmInfo);
                _ = info.State?.Length;
                foreach (var (id, node) in info.DeviceTree ?? new Dictionary<string, DeviceNode>())
                {
                    if (node?.PciBdf is { } bdf)
                    {
                        _ = ClhHypervisor.ParseBdf(bdf, id);
                    }
                }

                break;
            default:
                var disk = Read(body, "vm.add-disk", ClhJsonContext.Default.PciDeviceInfo);
                _ = ClhHypervisor.ParseBdf(disk.Bdf, "disk0");
                break;
        }
    }

    public override bool IsDocumented(Exception exception) => exception is ClhApiException or HypervisorException;

    private static T Read<T>(byte[] body, string endpoint, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
        return ClhApiClient.ReadAsync(response, endpoint, type, CancellationToken.None).GetAwaiter().GetResult();
    }
}
