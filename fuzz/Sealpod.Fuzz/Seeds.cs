using System.Text;
using Google.Protobuf;
using Sealpod.AgentClient.Kata.Translation;
using Sealpod.Contract.Guest;
using Sealpod.Rpc;
using Sealpod.Rpc.Ttrpc;
using Sealpod.Runtime.Oci;
using Sealpod.Runtime.Translation;
using Types = Sealpod.Protos.Kata.Types;
using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.Fuzz;

/// <summary>
/// The binary seeds (`Sealpod.Fuzz seed`), made by the product's own writers so they are exactly what a peer sends:
/// ttrpc frames from the envelope writers, agent requests from the host's translation of the oci-spec seeds.
/// The text seeds (QMP, Cloud Hypervisor JSON, annotations, kernel_params, OCI JSON, Init-Data) are committed as
/// written, copied from the tests' fixtures.
/// </summary>
internal static class Seeds
{
    public static void Write(string corpus)
    {
        Save(corpus, "ttrpc-server", "echo", Frame(1, TtrpcMessageType.Request, Request("fuzz.Echo", "Echo", [1, 2, 3], 0, null)));
        Save(corpus, "ttrpc-server", "two-calls-timeout-metadata", [
            .. Frame(1, TtrpcMessageType.Request, Request("fuzz.Echo", "Echo", [9], 1_000_000_000, new TtrpcMetadata([new("k", "v"), new("k2", "")]))),
            .. Frame(3, TtrpcMessageType.Request, Request("containerd.task.v2.Task", "Create", [], 0, null))]);
        Save(corpus, "ttrpc-server", "data-and-even-stream", [
            .. Frame(2, TtrpcMessageType.Request, Request("fuzz.Echo", "Echo", [], 0, null)),
            .. Frame(5, TtrpcMessageType.Data, [1])]);

        Save(corpus, "ttrpc-client", "two-ok", [
            .. Frame(1, TtrpcMessageType.Response, Response(StatusCode.OK, null, [7, 7])),
            .. Frame(3, TtrpcMessageType.Response, Response(StatusCode.OK, null, new Wire.WaitProcessResponse { Status = 137 }.ToByteArray()))]);
        Save(corpus, "ttrpc-client", "error-and-unknown-stream", [
            .. Frame(9, TtrpcMessageType.Response, Response(StatusCode.OK, null, [])),
            .. Frame(3, TtrpcMessageType.Response, Response(StatusCode.NotFound, "container c not found", [])),
            .. Frame(1, TtrpcMessageType.Response, Response(StatusCode.InvalidArgument, "bad", []))]);

        var full = OciBundle.Parse("/run/b", File.ReadAllBytes(Path.Combine(corpus, "oci-spec", "full.json")), "full.json");
        var spec = GuestContainerSpec.PrepareShared(full, "c1", disableGuestSeccomp: false, FakeHostTrees.Read).Spec;
        var storage = new Wire.Storage { Driver = "virtio-blk-pci", Source = "02/00", Fstype = "ext4", Options = { "ro" }, MountPoint = GuestPaths.StorageRoot + "/img" };
        Agent(corpus, 0, "create-container", new Wire.CreateContainerRequest { ContainerId = "c1", ExecId = "c1", OCI = SpecTranslation.ToWire(spec), Storages = { storage } });
        Agent(corpus, 1, "exec-process", new Wire.ExecProcessRequest { ContainerId = "c1", ExecId = "e1", Process = ProcessTranslation.ToWire(spec.Process!) });
        Agent(corpus, 2, "update-container", new Wire.UpdateContainerRequest { ContainerId = "c1", Resources = ResourcesTranslation.ToWire(spec.Linux!.Resources!) });
        Agent(corpus, 3, "create-sandbox", new Wire.CreateSandboxRequest { SandboxId = "p1", Hostname = "pod", Dns = { "nameserver 10.0.0.2" }, Storages = { storage } });
        Agent(corpus, 4, "update-interface", new Wire.UpdateInterfaceRequest
        {
            Interface = new Types.Interface
            {
                Name = "eth0", HwAddr = "02:42:0a:00:00:05", Mtu = 1500,
                IPAddresses = { new Types.IPAddress { Family = Types.IPFamily.V4, Address = "10.0.0.5", Mask = "24" }, new Types.IPAddress { Family = Types.IPFamily.V6, Address = "fd00::5", Mask = "64" } },
            },
        });
        Agent(corpus, 5, "update-routes", new Wire.UpdateRoutesRequest
        {
            Routes = new Wire.Routes { Routes_ = { new Types.Route { Dest = "", Gateway = "10.0.0.1", Device = "eth0" }, new Types.Route { Dest = "10.0.0.0/24", Device = "eth0", Scope = 253, Source = "10.0.0.5" } } },
        });
        Agent(corpus, 6, "add-arp-neighbors", new Wire.AddARPNeighborsRequest
        {
            Neighbors = new Wire.ARPNeighbors { ARPNeighbors_ = { new Types.ARPNeighbor { ToIPAddress = new Types.IPAddress { Family = Types.IPFamily.V4, Address = "10.0.0.1" }, Device = "eth0", Lladdr = "02:42:0a:00:00:01", State = 0x80 } } },
        });
        Agent(corpus, 7, "set-policy", new Wire.SetPolicyRequest { Policy = "package agent_policy\ndefault AllowRequestsFailingPolicy := false\ndefault ExecProcessRequest := false\n" });
    }

    private static void Agent(string corpus, byte method, string name, IMessage request) =>
        Save(corpus, "agent-request", name, [method, .. request.ToByteArray()]);

    private static byte[] Request(string service, string method, byte[] payload, long timeoutNano, TtrpcMetadata? metadata)
    {
        var bytes = new byte[TtrpcRequestEnvelope.GetLength(service, method, payload.Length, timeoutNano, metadata)];
        TtrpcRequestEnvelope.Write(bytes, service, method, TtrpcPayload.FromBytes(payload), timeoutNano, metadata);
        return bytes;
    }

    private static byte[] Response(StatusCode code, string? message, byte[] payload)
    {
        var bytes = new byte[TtrpcResponseEnvelope.GetLength(code, message, null, payload.Length)];
        TtrpcResponseEnvelope.Write(bytes, code, message, null, TtrpcPayload.FromBytes(payload));
        return bytes;
    }

    private static byte[] Frame(uint streamId, TtrpcMessageType type, byte[] payload)
    {
        var frame = new byte[TtrpcProtocol.HeaderLength + payload.Length];
        new TtrpcFrameHeader((uint)payload.Length, streamId, type, TtrpcFrameFlags.None).WriteTo(frame);
        payload.CopyTo(frame, TtrpcProtocol.HeaderLength);
        return frame;
    }

    private static void Save(string corpus, string target, string name, byte[] bytes)
    {
        var directory = Directory.CreateDirectory(Path.Combine(corpus, target));
        File.WriteAllBytes(Path.Combine(directory.FullName, name), bytes);
        Console.WriteLine($"{target}/{name}: {bytes.Length} bytes");
    }
}
