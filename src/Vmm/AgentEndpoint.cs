namespace Sealpod.Vmm;

/// <summary>Where the agent client connects once the VM is up; each transport is its own record.</summary>
public abstract record AgentEndpoint;
