namespace Sealpod.Config.Tests;
public sealed class ZzDebug
{
    [Fact]
    public void Dump()
    {
        var a = Load.Errors(Load.MinimalQemu + "valid_annotation_kernel_params = [\"agent.log=debug\"]\n");
        var b = Load.Errors(Load.MinimalQemu + "guest_pre_attestation_secret_guid = \"KEYSET-1\"\nguest_pre_attestation_secret_type = \"online\"\n");
        Assert.Fail(string.Join("\n", a.Concat(b)));
    }
}
