namespace Sealpod.Bench.Ttrpc;

/// <summary>Builds the Go peer (containerd's ttrpc from Debian) and runs its benchmark modes.</summary>
internal sealed class GoBench : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sp-bench-go-").FullName;

    public string Binary { get; private set; } = "";

    public void Build(string source)
    {
        Binary = Path.Combine(_root, "ttrpc-interop");
        string work = Path.Combine(_root, "src");
        Directory.CreateDirectory(work);
        foreach (string file in Directory.EnumerateFiles(source, "*.go"))
        {
            File.Copy(file, Path.Combine(work, Path.GetFileName(file)));
        }

        var start = new ProcessStartInfo("go") { WorkingDirectory = work, UseShellExecute = false, RedirectStandardError = true };
        foreach (string argument in new[] { "build", "-o", Binary, "." })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GOPATH"] = "/usr/share/gocode";
        start.Environment["GO111MODULE"] = "off";
        start.Environment["GOFLAGS"] = "";
        start.Environment["GOCACHE"] = Path.Combine(_root, "gocache");
        using Process build = Process.Start(start)!;
        string errors = build.StandardError.ReadToEnd();
        build.WaitForExit();
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"go build failed: {errors}");
        }
    }

    /// <summary>Runs a Go benchmark mode to completion and parses its JSON report.</summary>
    public BenchResult Run(BenchSettings settings, params string[] mode)
    {
        ProcessStartInfo start = StartInfo(mode);
        start.ArgumentList.Add("-payload");
        start.ArgumentList.Add(settings.PayloadBytes.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("-calls");
        start.ArgumentList.Add(settings.SequentialCalls.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("-concurrency");
        start.ArgumentList.Add(settings.Concurrency.ToString(CultureInfo.InvariantCulture));
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Go bench {string.Join(' ', mode)} failed: {errors}");
        }

        return JsonSerializer.Deserialize<BenchResult>(output, BenchResult.JsonOptions) ?? throw new InvalidOperationException("empty Go report");
    }

    /// <summary>Starts the Go echo server and waits until it listens; dispose the process to stop it.</summary>
    public Process StartServer(string socket)
    {
        Process process = Process.Start(StartInfo("bench-server", "-socket", socket))!;
        if (process.StandardOutput.ReadLine() != "listening")
        {
            process.Kill();
            throw new InvalidOperationException($"Go bench server did not start: {process.StandardError.ReadToEnd()}");
        }

        return process;
    }

    public void Dispose()
    {
        foreach (string path in Directory.EnumerateFileSystemEntries(_root, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Directory.Delete(_root, recursive: true);
    }

    private ProcessStartInfo StartInfo(params string[] arguments)
    {
        var start = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
