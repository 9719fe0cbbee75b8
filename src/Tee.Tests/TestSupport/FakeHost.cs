namespace Sealpod.Tee.Tests.TestSupport;

/// <summary>A host root with just the files the TEE checks read, for hosts this machine is not.</summary>
internal sealed class FakeHost : IDisposable
{
    private readonly TempDirectory _root = new("sealpod-tee-host-");

    public string Root => _root.Path;

    public static FakeHost SevSnp() => new FakeHost()
        .With(TeeHostSupport.SevSnpParameter, "Y\n").With(TeeHostSupport.SevParameter, "Y\n").With(TeeHostSupport.SevEsParameter, "Y\n").With(TeeHostSupport.SevDevice, string.Empty);

    public static FakeHost Sev() => new FakeHost()
        .With(TeeHostSupport.SevSnpParameter, "N\n").With(TeeHostSupport.SevParameter, "1\n").With(TeeHostSupport.SevEsParameter, "N\n").With(TeeHostSupport.SevDevice, string.Empty);

    public static FakeHost Tdx() => new FakeHost().With(TeeHostSupport.TdxParameter, "Y\n");

    public static FakeHost Empty() => new();

    public FakeHost With(string hostPath, string content)
    {
        _root.Write(hostPath, content);
        return this;
    }

    public FakeHost Without(string hostPath)
    {
        File.Delete(_root.Combine(hostPath.TrimStart('/')));
        return this;
    }

    public void Dispose() => _root.Dispose();
}
