using Microsoft.Extensions.Logging.Abstractions;
using Sealpod.Runtime.Configuration;
using Sealpod.Runtime.Diagnostics;
using Sealpod.Runtime.Events;
using Sealpod.Runtime.IO;
using Sealpod.Runtime.Sandboxes;

namespace Sealpod.VmAgent.IntegrationTests;

/// <summary>
/// shared_fs = "virtio-fs" through the runtime (SandboxHost, as the shim drives it) with the coco-dev configuration
/// switched to virtio-fs and its shipped virtio-fs settings (cache auto, announce_submounts): the sandbox makes the
/// share, the driver runs virtiofsd, the agent mounts kataShared, and a container's rw and ro bind mounts are the
/// host's own. Deleting the container stops the sandbox; nothing is left mounted or running.
/// </summary>
public sealed class VirtioFsSandboxTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_runtime_sandbox_shares_bind_mounts_over_virtio_fs()
    {
        GuestAssets.Require();
        using var timeout = new CancellationTokenSource(Long);
        var work = Directory.CreateDirectory(Path.Combine("/tmp", "svs-" + Guid.NewGuid().ToString("N")[..6])).FullName;
        string[] mountsLeft;
        int[] daemonsLeft;
        try
        {
            var data = Directory.CreateDirectory(Path.Combine(work, "data")).FullName;
            var config = Directory.CreateDirectory(Path.Combine(work, "config")).FullName;
            await File.WriteAllTextAsync(Path.Combine(config, "setting"), "ro-content\n", timeout.Token);
            var toml = Path.Combine(work, "configuration.toml");
            var text = await File.ReadAllTextAsync(GuestAssets.ConfigPath, timeout.Token);
            Assert.Contains("shared_fs = \"none\"", text, StringComparison.Ordinal);
            await File.WriteAllTextAsync(toml, text.Replace("shared_fs = \"none\"", "shared_fs = \"virtio-fs\"", StringComparison.Ordinal), timeout.Token);

            var bundle = Directory.CreateDirectory(Path.Combine(work, "bundle")).FullName;
            await BusyboxRootfs.CreateAsync(bundle);
            const string Script =
                "cat /config/setting > /data/copied; echo guest-1 > /data/from-guest; " +
                "((echo x > /config/written) 2>/dev/null && echo WROTE || echo REFUSED) > /data/ro-result; " +
                "i=0; while [ ! -f /data/later ] && [ $i -lt 600 ]; do sleep 0.2; i=$((i+1)); done; cat /data/later > /data/echo";
            await File.WriteAllTextAsync(Path.Combine(bundle, "config.json"), Spec(Script, data, config), timeout.Token);

            var host = new SandboxHost(new SandboxHostOptions
            {
                Publisher = new DiscardingPublisher(),
                LoggerFactory = NullLoggerFactory.Instance,
                Directories = new RuntimeDirectories { RunRoot = Path.Combine(work, "run"), StateRoot = Path.Combine(work, "state") },
            });
            try
            {
                var container = await host.CreateAsync(new ContainerCreateRequest("vfs-sbx", bundle, [], ProcessIoPaths.None, toml), new StartupTimeline(), timeout.Token);
                var shared = Path.Combine(work, "run", "sandboxes", "vfs-sbx", "fs", "shared");
                Assert.Equal("ro-content\n", await File.ReadAllTextAsync(Path.Combine(shared, "vfs-sbx-1-config", "setting"), timeout.Token));

                await container.Init.StartAsync(timeout.Token);
                var fromGuest = Path.Combine(data, "from-guest");
                while (!File.Exists(fromGuest))
                {
                    await Task.Delay(100, timeout.Token);
                }

                await File.WriteAllTextAsync(Path.Combine(data, "later"), "host-2\n", timeout.Token);
                var exit = await container.Init.WaitAsync(timeout.Token);

                Assert.Equal(0u, exit.Status);
                Assert.Equal("guest-1\n", await File.ReadAllTextAsync(fromGuest, timeout.Token));
                Assert.Equal("ro-content\n", await File.ReadAllTextAsync(Path.Combine(data, "copied"), timeout.Token));
                Assert.Equal("REFUSED\n", await File.ReadAllTextAsync(Path.Combine(data, "ro-result"), timeout.Token));
                Assert.Equal("host-2\n", await File.ReadAllTextAsync(Path.Combine(data, "echo"), timeout.Token));
                Assert.False(File.Exists(Path.Combine(config, "written")));

                await host.DeleteAsync("vfs-sbx", string.Empty, timeout.Token);
            }
            finally
            {
                await host.DisposeAsync();
            }
        }
        finally
        {
            mountsLeft = File.ReadLines("/proc/self/mountinfo").Where(l => l.Contains(work, StringComparison.Ordinal)).ToArray();
            daemonsLeft = Directory.EnumerateDirectories("/proc")
                .Where(d => int.TryParse(Path.GetFileName(d), out _) && ReadCommandLine(d).Contains(work, StringComparison.Ordinal))
                .Select(d => int.Parse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture))
                .ToArray();
            if (mountsLeft.Length == 0)
            {
                Directory.Delete(work, recursive: true);
            }
        }

        Assert.Empty(mountsLeft);
        Assert.Empty(daemonsLeft);
    }

    private static string Spec(string script, string data, string config)
    {
        var json = new StringBuilder();
        json.Append("""{"ociVersion":"1.0.2","process":{"terminal":false,"user":{"uid":0,"gid":0},"args":["sh","-c",""");
        json.Append(System.Text.Json.JsonSerializer.Serialize(script));
        json.Append("""]""");
        json.Append(""","env":["PATH=/bin"],"cwd":"/"},"root":{"path":"rootfs"},"hostname":"vfs","mounts":[""");
        json.Append("""{"destination":"/proc","type":"proc","source":"proc"},""");
        json.Append($$"""{"destination":"/data","type":"bind","source":"{{data}}","options":["rbind","rw"]},""");
        json.Append($$"""{"destination":"/config","type":"bind","source":"{{config}}","options":["rbind","ro"]}""");
        json.Append("""],"linux":{"namespaces":[{"type":"pid"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}]}}""");
        return json.ToString();
    }

    private static string ReadCommandLine(string procDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procDirectory, "cmdline")).Replace('\0', ' ');
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private sealed class DiscardingPublisher : IEventPublisher
    {
        public Task PublishAsync(RuntimeEvent runtimeEvent, DateTimeOffset timestamp, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
