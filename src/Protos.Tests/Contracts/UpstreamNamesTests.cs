using Google.Protobuf.Reflection;
using Sealpod.Protos.Containerd.Runtime.Bootstrap.V1;
using Sealpod.Protos.Containerd.Services.Events.Ttrpc.V1;
using Sealpod.Protos.Containerd.Task.V2;
using Sealpod.Protos.Kata.Agent;
using Sealpod.Protos.KeyBroker;

namespace Sealpod.Protos.Tests.Contracts;

/// <summary>
/// Package, message and service names are part of the wire: ttrpc dispatches on the service's
/// full name and Any type URLs are message full names.
/// </summary>
public sealed class UpstreamNamesTests
{
    public static TheoryData<MessageDescriptor, string> Messages => new()
    {
        { CreateTaskRequest.Descriptor, "containerd.task.v2.CreateTaskRequest" },
        { ConnectResponse.Descriptor, "containerd.task.v2.ConnectResponse" },
        { Containerd.Types.Mount.Descriptor, "containerd.types.Mount" },
        { Containerd.Types.Envelope.Descriptor, "containerd.types.Envelope" },
        { Containerd.Types.RuntimeInfo.Descriptor, "containerd.types.RuntimeInfo" },
        { Containerd.Types.V1.ProcessInfo.Descriptor, "containerd.v1.types.ProcessInfo" },
        { Containerd.Events.TaskExecStarted.Descriptor, "containerd.events.TaskExecStarted" },
        { Containerd.Events.TaskCheckpointed.Descriptor, "containerd.events.TaskCheckpointed" },
        { ForwardRequest.Descriptor, "containerd.services.events.ttrpc.v1.ForwardRequest" },
        { RuntimeOptions.V1.Options.Descriptor, "runtimeoptions.v1.Options" },
        { BootstrapParams.Descriptor, "containerd.runtime.bootstrap.v1.BootstrapParams" },
        { Containerd.Runc.V1.ProcessDetails.Descriptor, "containerd.runc.v1.ProcessDetails" },
        { Cgroups.V1.Metrics.Descriptor, "io.containerd.cgroups.v1.Metrics" },
        { Cgroups.V2.Metrics.Descriptor, "io.containerd.cgroups.v2.Metrics" },
        { CreateContainerRequest.Descriptor, "grpc.CreateContainerRequest" },
        { Spec.Descriptor, "grpc.Spec" },
        { VolumeStatsResponse.Descriptor, "grpc.VolumeStatsResponse" },
        { CheckRequest.Descriptor, "grpc.CheckRequest" },
        { Kata.Types.Interface.Descriptor, "types.Interface" },
        { BundleRequest.Descriptor, "keybroker.BundleRequest" },
        { GoogleRpc.Status.Descriptor, "google.rpc.Status" },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Message_full_names_match_upstream(MessageDescriptor descriptor, string fullName) =>
        Assert.Equal(fullName, descriptor.FullName);

    [Fact]
    public void Task_service_has_the_runtime_v2_rpc_set()
    {
        ServiceDescriptor task = Assert.Single(ShimReflection.Descriptor.Services);

        Assert.Equal("containerd.task.v2.Task", task.FullName);
        Assert.Equal(
            ["State", "Create", "Start", "Delete", "Pids", "Pause", "Resume", "Checkpoint", "Kill", "Exec",
             "ResizePty", "CloseIO", "Update", "Wait", "Stats", "Connect", "Shutdown"],
            task.Methods.Select(m => m.Name));
    }

    [Fact]
    public void Event_forwarding_service_name()
    {
        ServiceDescriptor events = Assert.Single(EventsReflection.Descriptor.Services);

        Assert.Equal("containerd.services.events.ttrpc.v1.Events", events.FullName);
        Assert.Equal("Forward", Assert.Single(events.Methods).Name);
    }

    [Fact]
    public void Agent_service_has_the_kata_rpc_set()
    {
        ServiceDescriptor agent = Assert.Single(AgentReflection.Descriptor.Services);

        Assert.Equal("grpc.AgentService", agent.FullName);
        Assert.Equal(
            new SortedSet<string>(
            [
                "CreateContainer", "StartContainer", "RemoveContainer", "ExecProcess", "SignalProcess", "WaitProcess",
                "UpdateContainer", "UpdateEphemeralMounts", "StatsContainer", "PauseContainer", "ResumeContainer",
                "RemoveStaleVirtiofsShareMounts", "WriteStdin", "ReadStdout", "ReadStderr", "CloseStdin", "TtyWinResize",
                "UpdateInterface", "UpdateRoutes", "ListInterfaces", "ListRoutes", "AddARPNeighbors", "GetIPTables",
                "SetIPTables", "GetMetrics", "MemAgentMemcgSet", "MemAgentCompactSet", "CreateSandbox", "DestroySandbox",
                "OnlineCPUMem", "ReseedRandomDev", "GetGuestDetails", "MemHotplugByProbe", "SetGuestDateTime", "CopyFile",
                "GetOOMEvent", "AddSwap", "AddSwapPath", "GetVolumeStats", "ResizeVolume", "SetPolicy",
            ]),
            new SortedSet<string>(agent.Methods.Select(m => m.Name)));
        Assert.Equal("grpc.WaitProcessResponse", agent.FindMethodByName("WaitProcess").OutputType.FullName);
        Assert.Equal("types.Interface", agent.FindMethodByName("UpdateInterface").OutputType.FullName);
    }

    [Fact]
    public void Health_service_name()
    {
        ServiceDescriptor health = Assert.Single(HealthReflection.Descriptor.Services);

        Assert.Equal("grpc.Health", health.FullName);
        Assert.Equal(["Check", "Version"], health.Methods.Select(m => m.Name));
    }

    [Fact]
    public void Key_broker_service_name()
    {
        ServiceDescriptor broker = Assert.Single(KeybrokerReflection.Descriptor.Services);

        Assert.Equal("keybroker.KeyBrokerService", broker.FullName);
        Assert.Equal(["GetBundle", "GetSecret", "GetOnlineSecret"], broker.Methods.Select(m => m.Name));
    }
}
