using Sealpod.Runtime.IO;
using Sealpod.Runtime.Rootfs;
using Wire = Sealpod.Protos.Containerd.Events;

namespace Sealpod.Shim.Tests;

public sealed class EventTranslatorTests
{
    private static readonly DateTimeOffset When = new(2025, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<RuntimeEvent, string, string> Cases => new()
    {
        { new TaskCreated("c", "/b", [new RootfsMount("overlay", "overlay", ["lowerdir=/l"])], new ProcessIoPaths("/i", "/o", "/e", true), 7), "/tasks/create", "containerd.events.TaskCreate" },
        { new TaskStarted("c", 7), "/tasks/start", "containerd.events.TaskStart" },
        { new TaskExited("c", "c", 7, 137, When), "/tasks/exit", "containerd.events.TaskExit" },
        { new TaskDeleted("c", "e1", 7, 3, When), "/tasks/delete", "containerd.events.TaskDelete" },
        { new TaskExecAdded("c", "e1"), "/tasks/exec-added", "containerd.events.TaskExecAdded" },
        { new TaskExecStarted("c", "e1", 7), "/tasks/exec-started", "containerd.events.TaskExecStarted" },
        { new TaskPaused("c"), "/tasks/paused", "containerd.events.TaskPaused" },
        { new TaskResumed("c"), "/tasks/resumed", "containerd.events.TaskResumed" },
        { new TaskOom("c"), "/tasks/oom", "containerd.events.TaskOOM" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_event_has_containerds_topic_and_a_bare_type_url(RuntimeEvent runtimeEvent, string topic, string typeUrl)
    {
        var any = EventTranslator.ToAny(runtimeEvent);

        Assert.Equal(topic, runtimeEvent.Topic);
        Assert.Equal(typeUrl, any.TypeUrl);
        Assert.Equal(AnyExtensions.PackBare(EventTranslator.ToMessage(runtimeEvent)).TypeUrl, any.TypeUrl); // the descriptor agrees
        Assert.Equal(EventTranslator.ToMessage(runtimeEvent).ToByteString(), any.Value);
    }

    [Fact]
    public void Fields_are_carried_over()
    {
        var create = (Wire.TaskCreate)EventTranslator.ToMessage(new TaskCreated("c", "/b", [new RootfsMount("overlay", "overlay", ["lowerdir=/l", "upperdir=/u"])], new ProcessIoPaths("/i", "/o", "/e", true), 7));
        var exit = (Wire.TaskExit)EventTranslator.ToMessage(new TaskExited("c", "e1", 7, 137, When));

        Assert.Equal(("c", "/b", 7u), (create.ContainerId, create.Bundle, create.Pid));
        Assert.Equal(("/i", "/o", "/e", true), (create.Io.Stdin, create.Io.Stdout, create.Io.Stderr, create.Io.Terminal));
        Assert.Equal(["lowerdir=/l", "upperdir=/u"], create.Rootfs[0].Options);
        Assert.Equal(("c", "e1", 7u, 137u), (exit.ContainerId, exit.Id, exit.Pid, exit.ExitStatus));
        Assert.Equal(Timestamp.FromDateTimeOffset(When), exit.ExitedAt);
    }
}
