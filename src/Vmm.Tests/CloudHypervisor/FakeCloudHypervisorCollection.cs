namespace Sealpod.Vmm.Tests.CloudHypervisor;

/// <summary>Tests that run the fake Cloud Hypervisor share one build of it.</summary>
[CollectionDefinition(Name)]
public sealed class FakeCloudHypervisorCollection : ICollectionFixture<FakeCloudHypervisorBuild>
{
    public const string Name = "fake-cloud-hypervisor";
}
