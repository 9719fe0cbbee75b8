using Sealpod.Agent.Runtime;

namespace Sealpod.Agent.Tests;

/// <summary>Ids, kernel command line, runtime lookup and mount options.</summary>
public sealed class SmallPartsTests
{
    [Theory]
    [InlineData("abc")]
    [InlineData("a")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("a.b-c_d")]
    public void Valid_container_ids_pass(string id) => Assert.Equal(id, ContainerId.Validate(id));

    [Theory]
    [InlineData("")]
    [InlineData(".a")]
    [InlineData("-a")]
    [InlineData("a/b")]
    [InlineData("../etc")]
    [InlineData("a b")]
    public void Invalid_container_ids_fail(string id) => Assert.Throws<InvalidArgumentException>(() => ContainerId.Validate(id));

    [Fact]
    public void A_container_id_longer_than_128_characters_fails() =>
        Assert.Throws<InvalidArgumentException>(() => ContainerId.Validate(new string('a', 129)));

    [Fact]
    public void The_kernel_command_line_names_the_runtime()
    {
        const string cmdline = "console=ttyS0 agent.runtime=/opt/crun quiet agent.runtime=/usr/bin/crun\n";

        Assert.Equal("/usr/bin/crun", KernelCommandLine.GetValue(cmdline, "agent.runtime"));
        Assert.Null(KernelCommandLine.GetValue(cmdline, "agent.runtim"));
        Assert.Equal("/usr/bin/crun", RuntimeLocator.Locate(cmdline, _ => false));
        Assert.Equal("/usr/sbin/runc", RuntimeLocator.Locate("quiet", path => path == "/usr/sbin/runc"));
        Assert.Equal("/usr/bin/crun", RuntimeLocator.Locate("", path => path is "/usr/bin/crun" or "/usr/sbin/runc"));
        Assert.Null(RuntimeLocator.Locate(null, _ => false));
    }

    [Fact]
    public void Mount_options_split_into_flags_and_data()
    {
        var options = MountOptions.Parse(["ro", "nodev", "lowerdir=/a:/b", "upperdir=/u", "rw", "ro", "index=off"]);

        Assert.True(options.ReadOnly);
        Assert.Equal(LibC.MS_RDONLY | LibC.MS_NODEV, options.Flags);
        Assert.Equal("lowerdir=/a:/b,upperdir=/u,index=off", options.Data);
        Assert.Equal("/a:/b", options.Get("lowerdir"));
        Assert.Null(options.Get("workdir"));
        Assert.Equal("lowerdir=/a:/b,index=off", options.DataWithout("upperdir"));
    }

    [Fact]
    public void The_runtime_log_yields_the_last_error()
    {
        var log = Path.GetTempFileName();
        try
        {
            File.WriteAllText(log, """
                {"level":"info","msg":"starting","time":"t"}
                {"level":"error","msg":"first problem","time":"t"}
                {"level":"error","msg":"exec: \"x\": executable file not found in $PATH","time":"t"}
                """);

            Assert.Equal("exec: \"x\": executable file not found in $PATH", OciRuntime.LastLoggedError(log));
        }
        finally
        {
            File.Delete(log);
        }
    }
}
