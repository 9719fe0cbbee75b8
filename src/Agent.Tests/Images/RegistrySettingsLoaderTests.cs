namespace Sealpod.Agent.Tests.Images;

/// <summary>Init-Data's cdh.toml [image] as the guest reads it: the extra CA certificates and what a wrong value says.</summary>
public sealed class RegistrySettingsLoaderTests : TempDirectoryTest
{
    public RegistrySettingsLoaderTests() : base("sp-regset-")
    {
    }

    [Fact]
    public void ExtraRootCertificatesAreReadInOrder()
    {
        Temp.Write("cdh.toml", "[image]\nextra_root_certificates = [\"\"\"\nPEM one\n\"\"\", 'PEM two']\n");
        var settings = RegistrySettingsLoader.Load(Temp.Path, null, "registry.example/app:1");
        Assert.Equal(["PEM one\n", "PEM two"], settings.ExtraRootCertificates);
    }

    [Fact]
    public void ExtraRootCertificatesOfTheWrongTypeAreNamedWithTheirPosition()
    {
        Temp.Write("cdh.toml", "[image]\nextra_root_certificates = \"one\"\n");
        var notArray = Assert.Throws<ImagePullException>(() => RegistrySettingsLoader.Load(Temp.Path, null, "registry.example/app:1"));
        Assert.Contains("image.extra_root_certificates: expected an array of PEM certificates, found string", notArray.Message, StringComparison.Ordinal);
        Assert.Contains("registry.example/app:1", notArray.Message, StringComparison.Ordinal);

        Temp.Write("cdh.toml", "[image]\nextra_root_certificates = [1]\n");
        var notString = Assert.Throws<ImagePullException>(() => RegistrySettingsLoader.Load(Temp.Path, null, "registry.example/app:1"));
        Assert.Contains("cdh.toml:2:", notString.Message, StringComparison.Ordinal);
        Assert.Contains("expected PEM certificate strings, found integer", notString.Message, StringComparison.Ordinal);
    }
}
