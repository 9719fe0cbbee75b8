namespace Sealpod.Snapshotter.Hosting;

/// <summary>The command line: where the snapshots live and the socket containerd's [proxy_plugins] entry names.</summary>
public sealed record SnapshotterOptions(string Root, string Address)
{
    public const string DefaultRoot = "/var/lib/sealpod-snapshotter";

    public const string DefaultAddress = "/run/sealpod-snapshotter/snapshotter.sock";

    /// <summary>Parses <c>[--root DIR] [--address SOCKET]</c>; errors name the flag and what was expected.</summary>
    public static SnapshotterOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string root = DefaultRoot;
        string address = DefaultAddress;
        for (int i = 0; i < args.Count; i++)
        {
            string flag = args[i];
            if (flag is not ("--root" or "--address"))
            {
                throw new ArgumentException($"sealpod-snapshotter: unknown argument \"{flag}\": expected --root DIR or --address SOCKET");
            }

            if (i + 1 >= args.Count || !Path.IsPathFullyQualified(args[i + 1]))
            {
                throw new ArgumentException($"sealpod-snapshotter: {flag} expects an absolute path");
            }

            if (flag == "--root")
            {
                root = args[++i];
            }
            else
            {
                address = args[++i];
            }
        }

        // sun_path holds 108 bytes including the terminating NUL.
        if (System.Text.Encoding.UTF8.GetByteCount(address) > 107)
        {
            throw new ArgumentException($"sealpod-snapshotter: --address {address}: a unix socket path must be at most 107 bytes");
        }

        return new SnapshotterOptions(root, address);
    }
}
