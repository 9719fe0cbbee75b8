namespace Sealpod.TestSupport;

/// <summary>
/// A Go peer the interop tests run, built once per test collection from its sources with Debian's Go in GOPATH mode
/// (no module download: CI has no network) into a temporary directory removed afterwards. Derived fixtures name the
/// sources and may start the program after the build.
/// </summary>
public abstract class GoProgramBuild : IAsyncLifetime
{
    // A safety net against a hung toolchain (the build is killed), not a performance assertion.
    private static readonly TimeSpan BuildLimit = TimeSpan.FromMinutes(5);

    private readonly DirectoryInfo _directory;
    private readonly string _sourceDirectory;
    private readonly string[] _extraGoPaths;

    /// <param name="name">The executable's name, also naming the temporary directory and the build's errors.</param>
    /// <param name="sourceDirectory">The Go package to build (its directory).</param>
    /// <param name="extraGoPaths">GOPATH entries after Debian's, for the repository's own Go packages.</param>
    protected GoProgramBuild(string name, string sourceDirectory, params string[] extraGoPaths)
    {
        Name = name;
        _sourceDirectory = sourceDirectory;
        _extraGoPaths = extraGoPaths;
        _directory = Directory.CreateTempSubdirectory($"sealpod-{name}-");
    }

    public string Name { get; }

    /// <summary>The temporary directory holding the executable (and whatever the program writes there).</summary>
    public string WorkDirectory => _directory.FullName;

    public string Executable => Path.Combine(WorkDirectory, Name);

    public virtual async Task InitializeAsync()
    {
        try
        {
            await BuildAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public virtual Task DisposeAsync()
    {
        _directory.Refresh();
        if (_directory.Exists)
        {
            _directory.Delete(recursive: true);
        }

        return Task.CompletedTask;
    }

    private async Task BuildAsync()
    {
        var start = new ProcessStartInfo("go")
        {
            WorkingDirectory = _sourceDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["build", "-o", Executable, "."])
        {
            start.ArgumentList.Add(argument);
        }

        var environment = GoToolchain.GoPathEnvironment(_extraGoPaths);
        environment["CGO_ENABLED"] = "0";
        // Without a home or cache directory go refuses to build: give it one that goes away with the build.
        if (Environment.GetEnvironmentVariable("GOCACHE") is null
            && Environment.GetEnvironmentVariable("HOME") is null
            && Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is null)
        {
            environment["GOCACHE"] = Path.Combine(WorkDirectory, "gocache");
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var go = Process.Start(start) ?? throw new InvalidOperationException($"could not start go build of {Name}");
        var standardOutput = go.StandardOutput.ReadToEndAsync();
        var standardError = go.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(BuildLimit);
        try
        {
            await go.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            go.Kill(entireProcessTree: true);
            await go.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"go build of {Name} in {_sourceDirectory} did not finish");
        }

        if (go.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"go build of {Name} in {_sourceDirectory} failed (exit code {go.ExitCode}):\n{await standardError}{await standardOutput}");
        }
    }
}
