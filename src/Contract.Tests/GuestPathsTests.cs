using Sealpod.Contract.Agent;
using Sealpod.Contract.Guest;

namespace Sealpod.Contract.Tests;

public sealed class GuestPathsTests
{
    [Fact]
    public void Per_container_paths_sit_under_their_roots()
    {
        Assert.Equal("/run/sealpod/storage/c1/rootfs", GuestPaths.ContainerRootfs("c1"));
        Assert.Equal("/run/sealpod/storage/images/0123456789abcdef", GuestPaths.ImageMount("0123456789abcdef0123"));
        Assert.Equal("/run/sealpod/shared/c1", GuestPaths.SharedDirectory("c1"));
    }

    [Fact]
    public void The_serial_device_is_the_port_name_under_virtio_ports()
    {
        Assert.Equal("/dev/virtio-ports/agent.channel.0", AgentChannel.SerialDevicePath);
        Assert.Equal(1024u, AgentChannel.VsockPort);
    }
}
