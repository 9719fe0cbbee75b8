namespace Sealpod.Vmm.Tests.TestSupport;

/// <summary>Reading a rendered QEMU command line in tests.</summary>
public static class Argv
{
    /// <summary>
    /// The value after the first <paramref name="flag"/> whose value starts with <paramref name="startsWith"/> (any, by
    /// default); fails the test naming the flag and the whole command line when there is none.
    /// </summary>
    public static string ValueOf(IReadOnlyList<string> args, string flag, string startsWith = "")
    {
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (args[i] == flag && args[i + 1].StartsWith(startsWith, StringComparison.Ordinal))
            {
                return args[i + 1];
            }
        }

        throw new Xunit.Sdk.XunitException($"{flag} {startsWith}... missing from {string.Join(' ', args)}");
    }
}
