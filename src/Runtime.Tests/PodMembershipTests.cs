namespace Sealpod.Runtime.Tests;

public sealed class PodMembershipTests
{
    [Theory]
    [InlineData(null, null, ContainerKind.Single, "c1")]
    [InlineData("sandbox", "c1", ContainerKind.PodSandbox, "c1")]
    [InlineData("container", "pod-7", ContainerKind.PodContainer, "pod-7")]
    public void Containerd_cri_annotations_choose_the_group(string? type, string? sandboxId, ContainerKind kind, string group)
    {
        var annotations = new Dictionary<string, string>();
        if (type is not null)
        {
            annotations["io.kubernetes.cri.container-type"] = type;
        }

        if (sandboxId is not null)
        {
            annotations["io.kubernetes.cri.sandbox-id"] = sandboxId;
        }

        var membership = PodMembership.FromAnnotations("c1", annotations);

        Assert.Equal(kind, membership.Kind);
        Assert.Equal(group, membership.GroupId);
    }

    [Fact]
    public void Cri_o_and_dockershim_keys_are_understood()
    {
        var crio = PodMembership.FromAnnotations("c1", new Dictionary<string, string> { ["io.kubernetes.cri-o.ContainerType"] = "container", ["io.kubernetes.cri-o.SandboxID"] = "s1" });
        var docker = PodMembership.FromAnnotations("c1", new Dictionary<string, string> { ["io.kubernetes.docker.type"] = "podsandbox" });

        Assert.Equal((ContainerKind.PodContainer, "s1"), (crio.Kind, crio.GroupId));
        Assert.Equal(ContainerKind.PodSandbox, docker.Kind);
    }

    [Theory]
    [InlineData("container", null, "needs a sandbox id")]
    [InlineData("container", "../../etc", "sandbox id annotation '../../etc' is invalid")]
    [InlineData("vm", "s", "unknown container type 'vm'")]
    public void Bad_annotations_are_refused_with_the_key_named(string type, string? sandboxId, string expected)
    {
        var annotations = new Dictionary<string, string> { ["io.kubernetes.cri.container-type"] = type };
        if (sandboxId is not null)
        {
            annotations["io.kubernetes.cri.sandbox-id"] = sandboxId;
        }

        var error = Assert.Throws<InvalidArgumentException>(() => PodMembership.FromAnnotations("c1", annotations));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("a.b-c_d")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Valid_ids_pass(string id) => Assert.Equal(id, Identifiers.ValidateContainerId(id));

    [Theory]
    [InlineData("")]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("a..b")]
    [InlineData("-a")]
    [InlineData("a b")]
    public void Invalid_ids_fail(string id) => Assert.Throws<InvalidArgumentException>(() => Identifiers.ValidateContainerId(id));
}
