using System.Formats.Tar;
using System.IO.Compression;
using Google.Protobuf;
using Sealpod.AgentClient.Kata.Translation;
using Sealpod.Contract.Guest;
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
        ImageTar(corpus);
        Agent(corpus, 7, "set-policy", new Wire.SetPolicyRequest { Policy = "package agent_policy\ndefault AllowRequestsFailingPolicy := false\ndefault ExecProcessRequest := false\n" });
    }

    /// <summary>Layers as Agent.Tests' PullRegistries writes them, and the escapes the unpacker must refuse.</summary>
    private static void ImageTar(string corpus)
    {
        var layer = Tar(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = (UnixFileMode)0b111_101_101 });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox") { Mode = (UnixFileMode)0b111_101_101, DataStream = new MemoryStream("elf"u8.ToArray()) });
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/sh") { LinkName = "busybox" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "bin/ls") { LinkName = "bin/busybox" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "etc/.wh.removed") { Mode = (UnixFileMode)0b110_100_100 });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "dir/opq/.wh..wh..opq") { Mode = (UnixFileMode)0b110_100_100 });
            w.WriteEntry(new PaxTarEntry(TarEntryType.Fifo, "run/fifo") { Mode = (UnixFileMode)0b110_100_100 });
            w.WriteEntry(new PaxTarEntry(TarEntryType.CharacterDevice, "dev/null") { Mode = (UnixFileMode)0b110_110_110, DeviceMajor = 1, DeviceMinor = 3 });
        });
        Save(corpus, "image-tar", "layer", [0, .. layer]);
        Save(corpus, "image-tar", "layer-gzip", [1, .. Gzip(layer)]);
        Save(corpus, "image-tar", "layer-zstd", [2, .. Zstd(layer)]);
        Save(corpus, "image-tar", "escape-dotdot", [0, .. Tar(w => w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "a/../../outside/x") { DataStream = new MemoryStream([1]) }))]);
        Save(corpus, "image-tar", "escape-absolute", [0, .. Tar(w => w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "/outside/x") { DataStream = new MemoryStream([1]) }))]);
        Save(corpus, "image-tar", "escape-symlink-parent", [0, .. Tar(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "esc") { LinkName = "../outside" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "esc/x") { DataStream = new MemoryStream([1]) });
        })]);
        Save(corpus, "image-tar", "escape-symlink-leaf", [0, .. Tar(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "c") { LinkName = "../outside/canary" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "c") { DataStream = new MemoryStream([1]) });
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "d") { LinkName = "../outside" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "d"));
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "e") { LinkName = "../outside/canary" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, ".wh.e"));
        })]);
        Save(corpus, "image-tar", "escape-hardlink", [0, .. Tar(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "s") { LinkName = "../outside/canary" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "h") { LinkName = "s" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "h2") { LinkName = "../outside/canary" });
        })]);
    }

    private static byte[] Tar(Action<TarWriter> write)
    {
        var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    private static byte[] Gzip(byte[] bytes)
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return buffer.ToArray();
    }

    private static byte[] Zstd(byte[] bytes)
    {
        using var compressor = new ZstdSharp.Compressor();
        return compressor.Wrap(bytes).ToArray();
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
