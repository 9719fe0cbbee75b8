namespace Sealpod.TestSupport.Registry;

/// <summary>How a registry authenticates its clients.</summary>
public enum RegistryAuth
{
    /// <summary>Anonymous access.</summary>
    None,

    /// <summary>htpasswd: Basic authentication with <see cref="RegistryHarness.User"/>/<see cref="RegistryHarness.Password"/>.</summary>
    Basic,

    /// <summary>docker-registry's <c>auth: token:</c>: Bearer tokens from the harness's <see cref="TestTokenIssuer"/>.</summary>
    Token,
}

/// <summary>One docker-registry of a <see cref="RegistryHarness"/>.</summary>
public sealed record RegistryOptions
{
    /// <summary>Where it listens in the namespace: 127.0.0.1:PORT (the namespace only), or 0.0.0.0:PORT for a VM's guest too.</summary>
    public required string Listen { get; init; }

    /// <summary>HTTPS with a certificate from the harness's test CA (<see cref="RegistryHarness.Authority"/>).</summary>
    public bool Tls { get; init; }

    public RegistryAuth Auth { get; init; } = RegistryAuth.None;

    /// <summary>The storage of another registry to serve too (e.g. an open loopback twin of a private one); null: its own.</summary>
    public string? StorageDirectory { get; init; }
}
