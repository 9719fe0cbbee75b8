namespace Sealpod.Runtime.Tests;

public sealed class OciSpecTranslatorTests
{
    [Fact]
    public void Every_field_of_a_full_spec_lands_in_the_agent_spec()
    {
        var spec = OciSpecTranslator.ToSpec(Encoding.UTF8.GetBytes(SampleSpecs.Full("/etc/hosts", "/tmp")));

        Assert.Equal("1.0.2-dev", spec.Version);
        Assert.Equal("pod", spec.Hostname);
        var process = spec.Process!;
        Assert.True(process.Terminal);
        Assert.Equal((40u, 120u), (process.ConsoleSize!.Height, process.ConsoleSize.Width));
        Assert.Equal((1000u, 1001u, "app"), (process.User!.Uid, process.User.Gid, process.User.Username));
        Assert.Equal([10u, 20u], process.User.AdditionalGids);
        Assert.Equal(["/bin/sh", "-c", "echo hi"], process.Args);
        Assert.Equal("/work", process.Cwd);
        Assert.Equal(["CAP_CHOWN", "CAP_KILL"], process.Capabilities!.Bounding);
        Assert.Equal(("RLIMIT_NOFILE", 1024ul, 512ul), (process.Rlimits[0].Type, process.Rlimits[0].Hard, process.Rlimits[0].Soft));
        Assert.True(process.NoNewPrivileges);
        Assert.Equal(-998, process.OomScoreAdj);
        Assert.True(spec.Root!.Readonly);
        Assert.Equal(3, spec.Mounts.Count);
        Assert.Equal(["nosuid", "noexec", "nodev"], spec.Mounts[0].Options);
        Assert.Equal("/usr/bin/host-hook", spec.Hooks!.Prestart[0].Path);
        Assert.Equal("pod1", spec.Annotations["io.kubernetes.cri.sandbox-id"]);

        var linux = spec.Linux!;
        Assert.Equal(100000u, linux.UidMappings[0].HostId);
        Assert.Equal("1", linux.Sysctl["net.ipv4.ip_forward"]);
        Assert.Equal(268435456, linux.Resources!.Memory!.Limit);
        Assert.Equal(-1, linux.Resources.Memory.Swap);
        Assert.Equal((512ul, 50000L, 100000ul, "0-1"), (linux.Resources.Cpu!.Shares, linux.Resources.Cpu.Quota, linux.Resources.Cpu.Period, linux.Resources.Cpu.Cpus));
        Assert.Equal(100, linux.Resources.Pids!.Limit);
        Assert.Equal(-1, linux.Resources.Devices[0].Major); // absent = any
        Assert.Equal("2MB", linux.Resources.HugepageLimits[0].PageSize);
        Assert.Equal(5, linux.Namespaces.Count);
        Assert.Equal((10L, 229L, 438u), (linux.Devices[0].Major, linux.Devices[0].Minor, linux.Devices[0].FileMode));
        Assert.Equal("SCMP_ACT_ERRNO", linux.Seccomp!.DefaultAction);
        Assert.Equal(1u, linux.Seccomp.Syscalls[1].ErrnoRet);
        Assert.Null(linux.Seccomp.Syscalls[0].ErrnoRet);
        Assert.Equal("SCMP_CMP_EQ", linux.Seccomp.Syscalls[1].Args[0].Op);
        Assert.Equal(["/proc/kcore"], linux.MaskedPaths);
    }

    [Theory]
    [InlineData("""{"process":{"user":{"uid":"root"}}}""", "config.json.process.user.uid: expected an unsigned 32-bit integer, found string \"root\"")]
    [InlineData("""{"process":{"args":"sh"}}""", "config.json.process.args: expected an array of strings")]
    [InlineData("""{"linux":{"resources":{"memory":{"limit":1.5}}}}""", "config.json.linux.resources.memory.limit: expected a 64-bit integer, found number 1.5")]
    [InlineData("""[1]""", "config.json: expected a JSON object")]
    [InlineData("""{"process":""", "config.json is not valid JSON")]
    public void A_malformed_field_is_refused_by_its_path(string json, string expected)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => OciSpecTranslator.ToSpec(Encoding.UTF8.GetBytes(json)));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    // Found by fuzzing (make fuzz, target oci-spec): JsonDocument accepts these, GetString threw InvalidOperationException.
    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0x68, 0x6F, 0x73, 0x74, 0x6E, 0x61, 0x6D, 0x65, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D }, "config.json.hostname: expected a string of valid Unicode text")]
    [InlineData(new byte[] { 0x7B, 0x22, 0x70, 0x72, 0x6F, 0x63, 0x65, 0x73, 0x73, 0x22, 0x3A, 0x7B, 0x22, 0x61, 0x72, 0x67, 0x73, 0x22, 0x3A, 0x5B, 0x22, 0x5C, 0x75, 0x64, 0x38, 0x30, 0x30, 0x22, 0x5D, 0x7D, 0x7D }, "config.json.process.args[0]: expected a string of valid Unicode text")]
    public void A_string_that_is_not_unicode_text_is_refused_by_its_path(byte[] json, string expected)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => OciSpecTranslator.ToSpec(json));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        var bundleError = Assert.Throws<InvalidArgumentException>(() => OciBundle.Parse("/b", json, "config.json"));
        Assert.StartsWith(expected, bundleError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exec_process_and_an_update_translate_on_their_own()
    {
        var process = OciSpecTranslator.ToProcess("""{"args":["ls","-l"],"cwd":"/","terminal":true,"env":["A=1"]}"""u8.ToArray());
        var resources = OciSpecTranslator.ToResources("""{"memory":{"limit":1048576},"cpu":{"quota":20000,"period":100000}}"""u8.ToArray());

        Assert.Equal(["ls", "-l"], process.Args);
        Assert.True(process.Terminal);
        Assert.Equal(1048576, resources.Memory!.Limit);
        Assert.Equal(20000, resources.Cpu!.Quota);
    }
}
