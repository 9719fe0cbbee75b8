using System.Text.Json;
using Google.Protobuf;
using Sealpod.Agent;
using Sealpod.Agent.Containers;
using Sealpod.Agent.Oci;
using Sealpod.Agent.Policy;
using Sealpod.Agent.Service;
using Sealpod.Agent.Service.Translation;
using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.Fuzz.Targets;

/// <summary>
/// The guest agent's request decoding and translation, the part of a call that runs before anything touches the
/// guest: the first byte picks the method, the rest is its protobuf request. Decoded as the agent's handlers decode
/// it, translated (spec, process, resources, storages, network records, policy), checked by the confidential
/// confinement and serialized to crun's JSON. Documented refusals: a malformed protobuf, and the agent's typed errors
/// (InvalidArgument, Policy): what ErrorMapper turns into a status other than Internal.
/// </summary>
internal sealed class AgentRequestTarget() : FuzzTarget("agent-request", "Kata agent requests: protobuf decoding, spec and network translation, policy (src/Agent)")
{
    private static readonly Action<byte[]>[] Methods =
    [
        CreateContainer,
        ExecProcess,
        UpdateContainer,
        CreateSandbox,
        UpdateInterface,
        UpdateRoutes,
        AddArpNeighbors,
        SetPolicy,
    ];

    private static readonly ConfidentialConfinement Confinement = new(new AgentOptions { Confidential = true });

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        Methods[input[0] % Methods.Length](input[1..].ToArray());
    }

    public override bool IsDocumented(Exception exception) =>
        exception is InvalidProtocolBufferException || ErrorMapper.ToRpc(exception).StatusCode != StatusCode.Internal;

    private static void CreateContainer(byte[] bytes)
    {
        var request = Wire.CreateContainerRequest.Parser.ParseFrom(bytes);
        if (request.OCI is null)
        {
            return;
        }

        var spec = SpecTranslation.ToOci(request.OCI);
        foreach (var storage in request.Storages)
        {
            Confinement.CheckStorage(StorageTranslation.ToDomain(storage), storage.MountPoint);
        }

        if (spec.Root is { } root)
        {
            Confinement.CheckRoot(root.Path);
        }

        // No guest device nodes exist here: every linux.devices entry is one the guest lacks.
        var applied = SpecPolicy.Apply(spec, "/run/sealpod/c/rootfs", rootReadonly: false, "/sealpod/c", _ => null, Confinement);
        _ = JsonSerializer.Serialize(applied, OciJsonContext.Default.OciSpec);
    }

    private static void ExecProcess(byte[] bytes)
    {
        var request = Wire.ExecProcessRequest.Parser.ParseFrom(bytes);
        if (request.Process is not null)
        {
            _ = JsonSerializer.Serialize(SpecTranslation.ToOci(request.Process), OciJsonContext.Default.OciProcess);
        }
    }

    private static void UpdateContainer(byte[] bytes)
    {
        var request = Wire.UpdateContainerRequest.Parser.ParseFrom(bytes);
        if (request.Resources is not null)
        {
            _ = JsonSerializer.Serialize(SpecTranslation.ToOci(request.Resources), OciJsonContext.Default.OciResources);
        }
    }

    private static void CreateSandbox(byte[] bytes)
    {
        var request = Wire.CreateSandboxRequest.Parser.ParseFrom(bytes);
        foreach (var storage in request.Storages)
        {
            Confinement.CheckStorage(StorageTranslation.ToDomain(storage), storage.MountPoint);
        }
    }

    private static void UpdateInterface(byte[] bytes) =>
        _ = NetworkTranslation.ToDomain(Wire.UpdateInterfaceRequest.Parser.ParseFrom(bytes).Interface);

    private static void UpdateRoutes(byte[] bytes) =>
        _ = NetworkTranslation.ToDomain(Wire.UpdateRoutesRequest.Parser.ParseFrom(bytes).Routes?.Routes_ ?? []);

    private static void AddArpNeighbors(byte[] bytes) =>
        _ = NetworkTranslation.ToDomain(Wire.AddARPNeighborsRequest.Parser.ParseFrom(bytes).Neighbors?.ARPNeighbors_ ?? []);

    private static void SetPolicy(byte[] bytes) =>
        _ = RegoPolicyParser.Parse(Wire.SetPolicyRequest.Parser.ParseFrom(bytes).Policy, "SetPolicy policy");
}
