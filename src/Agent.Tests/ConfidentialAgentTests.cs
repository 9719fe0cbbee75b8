using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.Agent.Tests;

/// <summary>
/// An agent built as in a confidential guest (<see cref="AgentOptions.Confidential"/>, what the program decides from
/// the TEE devices or the runtime's kernel flag), driven over the wire: without a policy it behaves as coco-default,
/// and what the host may make it touch is confined. Containers run for real on runc.
/// </summary>
[Collection(AgentCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Root)]
public sealed class ConfidentialAgentTests : IAsyncLifetime
{
    private readonly TempDirectory _root = new("sealpod-cc-agent-");
    private AgentOptions _options = null!;
    private AgentHost _host = null!;
    private AgentPolicyServiceTests.ServedAgent _agent = null!;

    public async Task InitializeAsync()
    {
        _options = new AgentOptions
        {
            ContainersRoot = _root.Combine("run", "sealpod", "containers"),
            RuntimeStateRoot = _root.Combine("run", "sealpod", "runtime"),
            StorageRoot = _root.Combine("run", "sealpod", "storage"),
            LocalStorageRoot = _root.Combine("run", "kata-containers", "sandbox", "local"),
            SharedFilesRoot = _root.Combine("run", "sealpod", "shared"),
            CopyFileRoot = _root.Combine("run"),
            InitDataDirectory = _root.Combine("run", "confidential-containers", "initdata"),
            CgroupParent = "sealpod-cc-test-" + Path.GetFileName(_root.Path)[^12..],
            RuntimeBinary = AgentFixture.Runtime,
            Confidential = true,
        };
        var log = new StringWriter();
        _host = AgentHost.Create(_options, new AgentLog(log), TestProcess.Poller, TestProcess.Reaper);
        _agent = await AgentPolicyServiceTests.ServedAgent.StartAsync(_host.Server, _root.Combine("agent.sock"), _host.Policy, log);
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _host.DisposeAsync();
        CgroupCleanup.RemoveParent(_options.CgroupMountPoint, _options.CgroupParent);
        _root.Dispose();
    }

    [Fact]
    public async Task Without_a_policy_exec_reseeding_and_set_policy_are_denied_as_coco_default_does()
    {
        var exec = await Assert.ThrowsAsync<RpcException>(() => _agent.CallAsync("ExecProcess", new Wire.ExecProcessRequest { ContainerId = "c" }, Empty.Parser));
        var set = await Assert.ThrowsAsync<RpcException>(() => _agent.CallAsync("SetPolicy", new Wire.SetPolicyRequest { Policy = "package agent_policy\n" }, Empty.Parser));

        Assert.Same(AgentPolicy.ConfidentialDefault, _host.Policy.Current);
        Assert.Equal(StatusCode.PermissionDenied, exec.StatusCode);
        Assert.Equal("ExecProcessRequest is blocked by policy: default ExecProcessRequest := false (coco-default (built in: confidential guest))", exec.Message);
        Assert.Equal(StatusCode.PermissionDenied, set.StatusCode);
        Assert.StartsWith("SetPolicyRequest is blocked by policy", set.Message);
        Assert.Equal(AgentPolicy.ConfidentialDenials, new[] { "ExecProcessRequest", "ReseedRandomDevRequest", "SetPolicyRequest" });
    }

    [Fact]
    public async Task Copy_file_reaches_only_the_containers_shared_directory()
    {
        var outside = Path.Combine(_options.CopyFileRoot, "sealpod", "containers", "c1", "config.json");
        var initData = Path.Combine(_options.InitDataDirectory, "aa.toml");
        var shared = Path.Combine(_options.SharedFilesRoot, "c1", "0-hostname");

        var refusedOutside = await Assert.ThrowsAsync<RpcException>(() => CopyAsync(outside, "{}"));
        var refusedInitData = await Assert.ThrowsAsync<RpcException>(() => CopyAsync(initData, "[token_configs]"));
        await CopyAsync(shared, "pod\n");

        Assert.Equal(StatusCode.InvalidArgument, refusedOutside.StatusCode);
        Assert.Equal($"CopyFile path '{outside}' is outside {_options.SharedFilesRoot}", refusedOutside.Message);
        Assert.Equal(StatusCode.InvalidArgument, refusedInitData.StatusCode);
        Assert.False(File.Exists(outside));
        Assert.False(File.Exists(initData));
        Assert.Equal("pod\n", await File.ReadAllTextAsync(shared));
    }

    [Fact]
    public async Task Create_sandbox_mounts_storages_only_below_the_storage_roots_and_loads_modules_by_name_only()
    {
        var outside = _root.Combine("run", "confidential-containers", "initdata");
        var storage = new Wire.Storage { Driver = "local", Source = "local", Fstype = "local", MountPoint = outside };
        var module = new Wire.KernelModule { Name = "-d" };
        module.Parameters.Add("/tmp");

        var refusedStorage = await Assert.ThrowsAsync<RpcException>(() => _agent.CallAsync("CreateSandbox", new Wire.CreateSandboxRequest { SandboxId = "s", Storages = { storage } }, Empty.Parser));
        var refusedModule = await Assert.ThrowsAsync<RpcException>(() => _agent.CallAsync("CreateSandbox", new Wire.CreateSandboxRequest { SandboxId = "s", KernelModules = { module } }, Empty.Parser));

        Assert.Equal(StatusCode.InvalidArgument, refusedStorage.StatusCode);
        Assert.StartsWith($"storage mount_point '{outside}' is outside the agent's storage roots", refusedStorage.Message);
        Assert.False(Directory.Exists(outside));
        Assert.Equal(StatusCode.InvalidArgument, refusedModule.StatusCode);
        Assert.StartsWith("kernel module name '-d' is invalid", refusedModule.Message);
    }

    [Fact]
    public async Task A_container_runs_with_binds_from_the_shared_directory_and_devices_but_not_from_the_guests_own_paths()
    {
        var rootfs = await BusyboxRootfs.CreateAsync(Path.Combine(_options.StorageRoot, "c1", "rootfs"));
        var greeting = Path.Combine(_options.SharedFilesRoot, "c1", "0-greeting");
        await CopyAsync(greeting, "hello from the host\n");
        var id = TestSpecs.NewId("cc");

        var escape = Spec(rootfs, "cat /secret/aa.toml");
        escape.Mounts.Add(new Wire.Mount { Destination = "/secret", Type = "bind", Source = _options.InitDataDirectory, Options = { "rbind", "ro" } });
        var refusedBind = await Assert.ThrowsAsync<RpcException>(() => _agent.CallAsync("CreateContainer", new Wire.CreateContainerRequest { ContainerId = id, OCI = escape }, Empty.Parser));
        var guestRoot = Spec("/", "cat /etc/passwd");
        var refusedRoot = await Assert.ThrowsAsync<RpcException>(() => _agent.CallAsync("CreateContainer", new Wire.CreateContainerRequest { ContainerId = id, OCI = guestRoot }, Empty.Parser));

        Assert.Equal(StatusCode.InvalidArgument, refusedBind.StatusCode);
        Assert.StartsWith($"mounts: the bind mount source for /secret '{_options.InitDataDirectory}' is outside", refusedBind.Message);
        Assert.Equal(StatusCode.InvalidArgument, refusedRoot.StatusCode);
        Assert.StartsWith("root.path '/' is outside the agent's storage roots", refusedRoot.Message);

        var spec = Spec(rootfs, "cat /etc/greeting; echo gone > /dev/quiet; echo done");
        spec.Mounts.Add(new Wire.Mount { Destination = "/etc/greeting", Type = "bind", Source = greeting, Options = { "rbind", "ro" } });
        spec.Mounts.Add(new Wire.Mount { Destination = "/dev/quiet", Type = "bind", Source = "/dev/null", Options = { "bind" } });
        await _agent.CallAsync("CreateContainer", new Wire.CreateContainerRequest { ContainerId = id, ExecId = id, OCI = spec }, Empty.Parser);
        try
        {
            await _agent.CallAsync("StartContainer", new Wire.StartContainerRequest { ContainerId = id }, Empty.Parser);
            var output = new System.Text.StringBuilder();
            while (true)
            {
                var chunk = await _agent.CallAsync("ReadStdout", new Wire.ReadStreamRequest { ContainerId = id, ExecId = id, Len = 4096 }, Wire.ReadStreamResponse.Parser);
                if (chunk.Data.IsEmpty)
                {
                    break;
                }

                output.Append(chunk.Data.ToStringUtf8());
            }

            var wait = await _agent.CallAsync("WaitProcess", new Wire.WaitProcessRequest { ContainerId = id, ExecId = id }, Wire.WaitProcessResponse.Parser);
            Assert.Equal(0, wait.Status);
            Assert.Equal("hello from the host\ndone\n", output.ToString());
        }
        finally
        {
            await _agent.CallAsync("RemoveContainer", new Wire.RemoveContainerRequest { ContainerId = id, Timeout = 10 }, Empty.Parser);
        }
    }

    private static Wire.Spec Spec(string rootfs, string script)
    {
        var spec = SpecConversionTests.ContainerdDefaultSpec();
        spec.Root.Path = rootfs;
        spec.Process.Args.Clear();
        spec.Process.Args.Add("sh");
        spec.Process.Args.Add("-c");
        spec.Process.Args.Add(script);
        spec.Linux.CgroupsPath = "";
        return spec;
    }

    private Task<Empty> CopyAsync(string path, string content) =>
        _agent.CallAsync(
            "CopyFile",
            new Wire.CopyFileRequest { Path = path, FileSize = content.Length, FileMode = LibC.S_IFREG | 0x1A4, Uid = -1, Gid = -1, Data = ByteString.CopyFromUtf8(content) },
            Empty.Parser);
}
