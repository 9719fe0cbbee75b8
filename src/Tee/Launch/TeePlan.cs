namespace Sealpod.Tee.Launch;

/// <summary>What <see cref="TeePlanner"/> decided for one sandbox: the TEE launch, and the Init-Data disk to attach.</summary>
/// <param name="Launch">The TEE and its parameters.</param>
/// <param name="InitData">The pod's Init-Data, delivered as a read-only disk whether or not a TEE binds its digest.</param>
public sealed record TeePlan(TeeLaunch Launch, InitDataDocument? InitData);
