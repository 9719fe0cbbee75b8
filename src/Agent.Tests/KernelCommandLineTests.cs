using Sealpod.Agent.Runtime;

namespace Sealpod.Agent.Tests;

/// <summary>The agent reads its options with the kernel's splitting, the one the host checked the pod's parameters with.</summary>
public sealed class KernelCommandLineTests
{
    [Theory]
    // The host allows agent.log and sees one parameter in each: so must the agent.
    [InlineData("console=hvc0 agent.log=\"debug agent.runtime=/tmp/evil \" quiet")]
    [InlineData("console=hvc0 agent.log=x\"y agent.runtime=/tmp/evil\" quiet")]
    public void A_quoted_agent_log_value_does_not_set_the_runtime(string commandLine)
    {
        Assert.Null(KernelCommandLine.GetValue(commandLine, "agent.runtime"));
        Assert.Equal("/usr/bin/crun", RuntimeLocator.Locate(commandLine, path => path == "/usr/bin/crun"));
    }

    [Fact]
    public void Byte_0xA0_separates_parameters_as_in_the_kernel()
    {
        // /proc/cmdline read one character per byte: 0xA0 is the kernel's whitespace too.
        Assert.Equal("/opt/crun", KernelCommandLine.GetValue("agent.log=x\u00A0agent.runtime=/opt/crun", "agent.runtime"));
        Assert.Equal("debug", KernelCommandLine.GetValue("agent.log=\"debug\"\0 agent.log=info", "agent.log"));
    }

    [Fact]
    public void Read_keeps_every_byte_of_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sealpod-cmdline-{Guid.NewGuid():N}");
        File.WriteAllBytes(path, [.. "agent.log=x"u8, 0xA0, .. "agent.runtime=/opt/crun\n"u8]);
        try
        {
            Assert.Equal("/opt/crun", KernelCommandLine.GetValue(KernelCommandLine.Read(path), "agent.runtime"));
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Null(KernelCommandLine.Read(path));
    }
}
