namespace Sealpod.Fuzz.Targets;

/// <summary>
/// What a registry or Init-Data says about authentication, picked by the first byte: a 401's WWW-Authenticate header
/// (<see cref="AuthChallenge"/>), a containers-auth.json and a registries.conf (<see cref="RegistrySettings"/>).
/// Documented: InvalidDataException naming the file (the loader turns it into the pull's error).
/// </summary>
internal sealed class RegistryAuthTarget() : FuzzTarget("registry-auth", "WWW-Authenticate header, auth.json, registries.conf (src/Agent/Images)")
{
    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        var text = Encoding.UTF8.GetString(input[1..]);
        switch (input[0] % 3)
        {
            case 0:
                if (AuthChallenge.Parse(text) is { } challenge)
                {
                    _ = challenge.Get("realm");
                    _ = challenge.Get("service");
                    _ = challenge.Get("scope");
                    _ = challenge.Scheme.Length;
                }

                break;
            case 1:
                foreach (var (registry, credentials) in RegistrySettings.ParseAuthFile(text, "auth.json"))
                {
                    _ = registry.Length + credentials.Username.Length + credentials.Password.Length;
                }

                break;
            default:
                _ = RegistrySettings.ParseRegistriesConf(text, "registries.conf").Count;
                break;
        }
    }

    public override bool IsDocumented(Exception exception) => exception is InvalidDataException;
}
