namespace Sealpod.Agent.Images;

/// <summary>A user name and password for one registry. Never logged: <see cref="ToString"/> hides both.</summary>
internal sealed record RegistryCredentials(string Username, string Password)
{
    public override string ToString() => "RegistryCredentials { <redacted> }";
}
