namespace Sealpod.Agent.Tests.Images;

/// <summary>Found by the image-manifest fuzz target: <c>"digest": null</c> was a NullReferenceException.</summary>
public sealed class BlobDigestTests
{
    [Fact]
    public void NullDigestIsAPullErrorNamingTheImage()
    {
        var error = Assert.Throws<ImagePullException>(() => BlobDigest.Parse(null, "registry.example/app:1"));
        Assert.Contains("registry.example/app:1", error.Message, StringComparison.Ordinal);
        Assert.Contains("no digest", error.Message, StringComparison.Ordinal);
    }
}
