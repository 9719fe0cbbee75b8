namespace Sealpod.Agent.Tests.Infrastructure;

/// <summary>
/// A container a test created; disposing removes it (kill, runtime delete, storages, bundle) even
/// when the test failed half-way.
/// </summary>
internal sealed class ContainerScope : IAsyncDisposable
{
    private ContainerScope(Sandbox sandbox, Container container)
    {
        Sandbox = sandbox;
        Container = container;
    }

    public Sandbox Sandbox { get; }

    public Container Container { get; }

    public string Id => Container.Id;

    public static async Task<ContainerScope> CreateAsync(AgentFixture fixture, OciSpec spec, string? id = null, bool start = true)
    {
        var container = await fixture.Sandbox.CreateContainerAsync(
            new ContainerSpec { Id = id ?? TestSpecs.NewId("t"), Spec = spec },
            CancellationToken.None);
        var scope = new ContainerScope(fixture.Sandbox, container);
        if (start)
        {
            try
            {
                await fixture.Sandbox.StartContainerAsync(container.Id, CancellationToken.None);
            }
            catch
            {
                await scope.DisposeAsync();
                throw;
            }
        }

        return scope;
    }

    /// <summary>Reads a stream to its end (the agent's long-poll reads until an empty one).</summary>
    public async Task<byte[]> ReadToEndAsync(OutputStream stream, string execId = "", CancellationToken cancellationToken = default)
    {
        using var output = new MemoryStream();
        while (true)
        {
            var chunk = await Sandbox.ReadAsync(Id, execId, stream, 64 * 1024, cancellationToken);
            if (chunk.Length == 0)
            {
                return output.ToArray();
            }

            output.Write(chunk);
        }
    }

    public async Task<string> ReadTextToEndAsync(OutputStream stream, string execId = "") =>
        Encoding.UTF8.GetString(await ReadToEndAsync(stream, execId));

    /// <summary>Runs an exec process to completion and returns its exit code and output.</summary>
    public async Task<(int Status, string Stdout, string Stderr)> ExecAsync(params string[] args)
    {
        var execId = TestSpecs.NewId("e");
        await Sandbox.ExecProcessAsync(Id, execId, TestSpecs.Process(args), CancellationToken.None);
        var stdout = ReadTextToEndAsync(OutputStream.Stdout, execId);
        var stderr = ReadTextToEndAsync(OutputStream.Stderr, execId);
        var status = await Sandbox.WaitProcessAsync(Id, execId, CancellationToken.None);
        return (status.ShellCode, await stdout, await stderr);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Sandbox.RemoveContainerAsync(Id, TimeSpan.FromSeconds(10), CancellationToken.None);
        }
        catch (Errors.NotFoundException)
        {
            // The test removed it itself.
        }
    }
}
