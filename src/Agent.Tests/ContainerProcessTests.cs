namespace Sealpod.Agent.Tests;

/// <summary>Real containers through runc: output, exit status, stdin, signals and exec.</summary>
[Collection(AgentCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Root)]
public sealed class ContainerProcessTests(AgentFixture fixture)
{
    [Fact]
    public async Task Init_output_and_exit_status_arrive_separately()
    {
        await using var container = await ContainerScope.CreateAsync(fixture, TestSpecs.Container(fixture.RootfsPath, "sh", "-c", "echo out; echo err >&2; exit 3"));

        var stdout = container.ReadTextToEndAsync(OutputStream.Stdout);
        var stderr = container.ReadTextToEndAsync(OutputStream.Stderr);
        var status = await fixture.Sandbox.WaitProcessAsync(container.Id, "", CancellationToken.None);

        Assert.Equal(3, status.ShellCode);
        Assert.Equal("out\n", await stdout);
        Assert.Equal("err\n", await stderr);
        Assert.Equal(ContainerState.Stopped, container.Container.State);
    }

    [Fact]
    public async Task Output_is_still_readable_after_the_process_exited()
    {
        await using var container = await ContainerScope.CreateAsync(fixture, TestSpecs.Container(fixture.RootfsPath, "sh", "-c", "echo late"));

        var status = await fixture.Sandbox.WaitProcessAsync(container.Id, container.Id, CancellationToken.None);

        Assert.Equal(0, status.ShellCode);
        Assert.Equal("late\n", await container.ReadTextToEndAsync(OutputStream.Stdout));
        Assert.Empty(await fixture.Sandbox.ReadAsync(container.Id, "", OutputStream.Stdout, 100, CancellationToken.None));
    }

    [Fact]
    public async Task Stdin_round_trips_one_mebibyte_through_cat_byte_exact()
    {
        await using var container = await ContainerScope.CreateAsync(fixture, TestSpecs.Container(fixture.RootfsPath, "cat"));
        var input = RandomNumberGenerator.GetBytes(1 << 20);

        var output = container.ReadToEndAsync(OutputStream.Stdout);
        for (var offset = 0; offset < input.Length; offset += 100_000)
        {
            var chunk = input.AsMemory(offset, Math.Min(100_000, input.Length - offset));
            var written = await fixture.Sandbox.WriteStdinAsync(container.Id, "", chunk, CancellationToken.None);
            Assert.Equal(chunk.Length, written);
        }

        fixture.Sandbox.CloseStdin(container.Id, "");
        var status = await fixture.Sandbox.WaitProcessAsync(container.Id, "", CancellationToken.None);

        Assert.Equal(0, status.ShellCode);
        Assert.Equal(input, await output);
    }

    [Fact]
    public async Task Closing_stdin_does_not_wait_for_a_write_the_process_never_reads()
    {
        await using var container = await ContainerScope.CreateAsync(fixture, TestSpecs.Container(fixture.RootfsPath, "sleep", "1000"));
        var stuck = fixture.Sandbox.WriteStdinAsync(container.Id, "", new byte[1 << 20], CancellationToken.None);
        Assert.False(stuck.IsCompleted, "a mebibyte fit into the pipe");

        fixture.Sandbox.CloseStdin(container.Id, "");

        await Assert.ThrowsAsync<FailedPreconditionException>(() => stuck);
        await Assert.ThrowsAsync<FailedPreconditionException>(() => fixture.Sandbox.WriteStdinAsync(container.Id, "", new byte[1], CancellationToken.None));
    }

    [Fact]
    public async Task Sigterm_ends_an_exec_sleep_with_143()
    {
        await using var container = await ContainerScope.CreateAsync(fixture, TestSpecs.Container(fixture.RootfsPath, "sleep", "1000"));
        await fixture.Sandbox.ExecProcessAsync(container.Id, "sleeper", TestSpecs.Process("sleep", "1000"), CancellationToken.None);

        fixture.Sandbox.SignalProcess(container.Id, "sleeper", 15);
        var status = await fixture.Sandbox.WaitProcessAsync(container.Id, "sleeper", CancellationToken.None);

        Assert.Equal(143, status.ShellCode);
        Assert.Equal(ContainerState.Running, container.Container.State);
    }

    [Fact]
    public async Task Sigterm_to_an_init_without_a_handler_kills_it_like_Kata()
    {
        // The kernel drops unhandled signals to a pid namespace's init; Kata escalates to SIGKILL.
        await using var container = await ContainerScope.CreateAsync(fixture, TestSpecs.Container(fixture.RootfsPath, "sleep", "1000"));

        fixture.Sandbox.SignalProcess(container.Id, "", 15);
        var status = await fixture.Sandbox.WaitProcessAsync(container.Id, "", CancellationToken.None);

        Assert.Equal(137, status.ShellCode);
    }

    [Fact]
    public async Task Sigterm_reaches_an_init_that_handles_it()
    {
        await using var container = await ContainerScope.CreateAsync(
            fixture,
            TestSpecs.Container(fixture.RootfsPath, "sh", "-c", "trap 'echo got-term; exit 7' TERM; echo ready; while true; do sleep 0.1; done"));
        var ready = await fixture.Sandbox.ReadAsync(container.Id, "", OutputStream.Stdout, 6, CancellationToken.None);
        Assert.Equal("ready\n", System.Text.Encoding.ASCII.GetString(ready));

        fixture.Sandbox.SignalProcess(container.Id, "", 15);
        var status = await fixture.Sandbox.WaitProcessAsync(container.Id, "", CancellationToken.None);

        Assert.Equal(7, status.ShellCode);
        Assert.Equal("got-term\n", await container.ReadTextToEndAsync(OutputStream.Stdout));
    }

    [Fact]
    public async Task Exec_runs_inside_the_running_container()
    {
        await using var container = await ContainerScope.CreateAsync(fixture, TestSpecs.Container(fixture.RootfsPath, "sh", "-c", "echo marker > /tmp/marker; sleep 1000"));

        var (status, stdout, stderr) = await RetryUntilAsync(
            () => container.ExecAsync("cat", "/tmp/marker"),
            result => result.Status == 0);

        Assert.Equal(0, status);
        Assert.Equal("marker\n", stdout);
        Assert.Equal("", stderr);
        var (failed, _, error) = await container.ExecAsync("sh", "-c", "echo oops >&2; exit 42");
        Assert.Equal(42, failed);
        Assert.Equal("oops\n", error);
    }

    [Fact]
    public async Task Exec_ids_are_unique_and_unknown_ones_are_not_found()
    {
        await using var container = await ContainerScope.CreateAsync(fixture, TestSpecs.Container(fixture.RootfsPath, "sleep", "1000"));
        await fixture.Sandbox.ExecProcessAsync(container.Id, "one", TestSpecs.Process("sleep", "1000"), CancellationToken.None);

        await Assert.ThrowsAsync<AlreadyExistsException>(() => fixture.Sandbox.ExecProcessAsync(container.Id, "one", TestSpecs.Process("true"), CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => fixture.Sandbox.WaitProcessAsync(container.Id, "nope", CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => fixture.Sandbox.WaitProcessAsync("no-such-container", "", CancellationToken.None));
    }

    [Fact]
    public async Task Exec_into_a_created_container_is_refused()
    {
        await using var container = await ContainerScope.CreateAsync(fixture, TestSpecs.Container(fixture.RootfsPath, "true"), start: false);

        await Assert.ThrowsAsync<FailedPreconditionException>(() => fixture.Sandbox.ExecProcessAsync(container.Id, "x", TestSpecs.Process("true"), CancellationToken.None));
        Assert.Equal(ContainerState.Created, container.Container.State);
    }

    [Fact]
    public async Task A_failing_create_leaves_nothing_behind()
    {
        var id = TestSpecs.NewId("bad");
        var spec = TestSpecs.Container(fixture.RootfsPath, "/no/such/binary");

        // runc create fails only at start for a missing binary; an invalid cwd fails at create.
        spec = spec with { Process = spec.Process! with { Cwd = "relative" } };
        await Assert.ThrowsAsync<InvalidArgumentException>(() => fixture.Sandbox.CreateContainerAsync(new ContainerSpec { Id = id, Spec = spec }, CancellationToken.None));

        Assert.False(Directory.Exists(Path.Combine(fixture.Options.ContainersRoot, id)));
        await Assert.ThrowsAsync<NotFoundException>(() => Task.FromResult(fixture.Sandbox.Get(id)));
    }

    [Fact]
    public async Task A_missing_program_fails_with_the_runtime_message()
    {
        // runc reports it at create (1.1 looks the binary up before waiting for start) or at start.
        var id = TestSpecs.NewId("missing");
        var error = await Assert.ThrowsAsync<OciRuntimeException>(async () =>
        {
            await using var container = await ContainerScope.CreateAsync(fixture, TestSpecs.Container(fixture.RootfsPath, "/no/such/binary"), id);
        });

        Assert.Contains("/no/such/binary", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(fixture.Options.ContainersRoot, id)));
    }

    internal static async Task<T> RetryUntilAsync<T>(Func<Task<T>> action, Func<T, bool> done)
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = await action();
            if (done(result) || attempt == 50)
            {
                return result;
            }

            await Task.Delay(100);
        }
    }
}
