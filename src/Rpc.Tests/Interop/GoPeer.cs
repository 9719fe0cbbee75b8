using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;

namespace Sealpod.Rpc.Tests.Interop;

/// <summary>
/// The Go ttrpc peer (tests/interop/ttrpc-go), built once per test class with containerd's own ttrpc into a
/// private temp directory that is removed afterwards, together with the Go build cache it used.
/// </summary>
public sealed class GoPeer : IAsyncLifetime
{
    private readonly string _root;
    private string? _binary;

    public GoPeer()
    {
        _root = Directory.CreateTempSubdirectory("sp-go-").FullName;
    }

    public string Binary => _binary ?? throw new InvalidOperationException("go is not installed");

    public string Root => _root;

    /// <summary>Builds the peer; without a Go toolchain there is nothing to build (the [GoFact] tests skip).</summary>
    public async Task InitializeAsync()
    {
        if (GoToolchain.FindGo() is not { } go)
        {
            return;
        }

        try
        {
            _binary = await BuildAsync(go);
        }
        catch
        {
            // xunit does not dispose a fixture whose initialization failed.
            await DisposeAsync();
            throw;
        }
    }

    public Task DisposeAsync()
    {
        // The Go build cache is written read-only; make it deletable first.
        foreach (string path in Directory.EnumerateFileSystemEntries(_root, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserWrite | UnixFileMode.UserRead | (Directory.Exists(path) ? UnixFileMode.UserExecute : 0));
        }

        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Starts the peer with the given arguments; the caller disposes the process, which kills it.</summary>
    public GoProcess Start(params string[] arguments)
    {
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new GoProcess(Process.Start(start) ?? throw new InvalidOperationException("cannot start the Go peer"));
    }

    private async Task<string> BuildAsync(string go)
    {
        string source = Path.Combine(_root, "src");
        Directory.CreateDirectory(source);
        string shipped = Path.Combine(AppContext.BaseDirectory, "ttrpc-go");
        foreach (string file in Directory.EnumerateFiles(shipped, "*.go"))
        {
            File.Copy(file, Path.Combine(source, Path.GetFileName(file)));
        }

        string output = Path.Combine(_root, "ttrpc-interop");
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        BufferedCommandResult build;
        try
        {
            build = await Cli.Wrap(go)
                .WithArguments(["build", "-o", output, "."])
                .WithWorkingDirectory(source)
                .WithEnvironmentVariables(new Dictionary<string, string?>(GoToolchain.GoPathEnvironment())
                {
                    ["GOCACHE"] = Path.Combine(_root, "gocache"),
                    ["HOME"] = _root,
                })
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            throw new TimeoutException("go build of the interop peer did not finish in 5 minutes");
        }

        if (!build.IsSuccess)
        {
            throw new InvalidOperationException(
                $"go build of the interop peer failed ({build.ExitCode}); is golang-github-containerd-ttrpc-dev installed?\n{build.StandardOutput}{build.StandardError}");
        }

        return output;
    }
}
