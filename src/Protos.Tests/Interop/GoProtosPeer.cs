using System.Text.Json;

namespace Sealpod.Protos.Tests.Interop;

/// <summary>
/// The Go program in tests/interop/protos-go, built against Debian's containerd 1.6 packages.
/// It is compiled once per test run into a temporary directory that is removed afterwards.
/// </summary>
public sealed class GoProtosPeer : IAsyncLifetime
{
    private readonly DirectoryInfo _workDirectory = Directory.CreateTempSubdirectory("sealpod-protos-go-");
    private IReadOnlyDictionary<string, byte[]> _fixtures = new Dictionary<string, byte[]>();

    private string ExecutablePath => Path.Combine(_workDirectory.FullName, "protos-go");

    /// <summary>Serialized messages made by containerd's Go types, by fixture name.</summary>
    public IReadOnlyDictionary<string, byte[]> Fixtures => _fixtures;

    public async Task InitializeAsync()
    {
        try
        {
            await BuildAsync();
            ProcessResult encoded = await ExternalProcess.RunAsync(ExecutablePath, ["encode"]);
            EnsureSuccess(encoded, "protos-go encode");
            _fixtures = encoded.StandardOutput
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line.Split(' ', 2))
                .ToDictionary(parts => parts[0], parts => Convert.FromHexString(parts[1]), StringComparer.Ordinal);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public Task DisposeAsync()
    {
        _workDirectory.Refresh();
        if (_workDirectory.Exists)
        {
            _workDirectory.Delete(recursive: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>Has the Go side decode <paramref name="message"/> as <paramref name="kind"/>.</summary>
    /// <returns>The JSON report: <c>message</c>, and for Any fields <c>any_type</c> and <c>any</c>.</returns>
    public async Task<JsonElement> DecodeAsync(string kind, IMessage message)
    {
        ProcessResult decoded = await ExternalProcess.RunAsync(
            ExecutablePath,
            ["decode", kind],
            standardInput: Convert.ToHexString(message.ToByteArray()));
        EnsureSuccess(decoded, $"protos-go decode {kind}");
        using JsonDocument document = JsonDocument.Parse(decoded.StandardOutput);
        return document.RootElement.Clone();
    }

    private async Task BuildAsync()
    {
        var environment = GoToolchain.GoPathEnvironment();
        environment["CGO_ENABLED"] = "0";

        // go refuses to run without a cache directory; give it a throwaway one when the
        // environment (CI without HOME) provides none.
        if (Environment.GetEnvironmentVariable("GOCACHE") is null
            && Environment.GetEnvironmentVariable("HOME") is null
            && Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is null)
        {
            environment["GOCACHE"] = Path.Combine(_workDirectory.FullName, "gocache");
        }

        ProcessResult built = await ExternalProcess.RunAsync(
            "go",
            ["build", "-o", ExecutablePath, "."],
            workingDirectory: Repository.Combine("tests", "interop", "protos-go"),
            environment: environment);
        EnsureSuccess(built, "go build tests/interop/protos-go");
    }

    private static void EnsureSuccess(ProcessResult result, string what)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{what} exited with {result.ExitCode}:\n{result.StandardError}{result.StandardOutput}");
        }
    }
}
