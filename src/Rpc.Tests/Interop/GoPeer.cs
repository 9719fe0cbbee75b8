using System.Diagnostics;

namespace Sealpod.Rpc.Tests.Interop;

/// <summary>
/// The Go ttrpc peer (tests/interop/ttrpc-go), built once per test class with containerd's own ttrpc into a
/// private temp directory that is removed afterwards, together with the Go build cache it used.
/// </summary>
public sealed class GoPeer : IDisposable
{
    private readonly string _root;
    private readonly Lazy<string> _binary;

    public GoPeer()
    {
        _root = Directory.CreateTempSubdirectory("sp-go-").FullName;
        _binary = new Lazy<string>(Build);
    }

    public string Binary => _binary.Value;

    public string Root => _root;

    public void Dispose()
    {
        // The Go build cache is written read-only; make it deletable first.
        foreach (string path in Directory.EnumerateFileSystemEntries(_root, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserWrite | UnixFileMode.UserRead | (Directory.Exists(path) ? UnixFileMode.UserExecute : 0));
        }

        Directory.Delete(_root, recursive: true);
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

    private string Build()
    {
        string go = GoToolchain.FindGo() ?? throw new InvalidOperationException("go is not installed");
        string source = Path.Combine(_root, "src");
        Directory.CreateDirectory(source);
        string shipped = Path.Combine(AppContext.BaseDirectory, "ttrpc-go");
        foreach (string file in Directory.EnumerateFiles(shipped, "*.go"))
        {
            File.Copy(file, Path.Combine(source, Path.GetFileName(file)));
        }

        string output = Path.Combine(_root, "ttrpc-interop");
        var start = new ProcessStartInfo(go)
        {
            WorkingDirectory = source,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "build", "-o", output, "." })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GOPATH"] = GoToolchain.DebianGoPath;
        start.Environment["GO111MODULE"] = "off";
        start.Environment["GOFLAGS"] = "";
        start.Environment["GOCACHE"] = Path.Combine(_root, "gocache");
        start.Environment["HOME"] = _root;
        using Process build = Process.Start(start) ?? throw new InvalidOperationException("cannot run go build");
        Task<string> stdout = build.StandardOutput.ReadToEndAsync();
        Task<string> stderr = build.StandardError.ReadToEndAsync();
        if (!build.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            build.Kill(entireProcessTree: true);
            throw new TimeoutException("go build of the interop peer did not finish in 5 minutes");
        }

        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"go build of the interop peer failed ({build.ExitCode}); is golang-github-containerd-ttrpc-dev installed?\n{stdout.Result}{stderr.Result}");
        }

        return output;
    }
}
