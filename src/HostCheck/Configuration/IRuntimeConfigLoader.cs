namespace Sealpod.HostCheck.Configuration;

/// <summary>Loads a Sealpod runtime configuration (with its drop-ins) into the facts the host checks need.</summary>
public interface IRuntimeConfigLoader
{
    /// <summary>
    /// Loads <paramref name="explicitPath"/>, or the first file on the configuration search order when it is null.
    /// Does not throw for a bad or missing file: errors come back in the outcome, each naming file, key and expectation.
    /// </summary>
    /// <param name="host">Resolves what Kata leaves to the host (which TEE confidential_guest means on this CPU); null to not ask.</param>
    Task<ConfigLoadOutcome> LoadAsync(string? explicitPath, HostFacts? host, CancellationToken cancellationToken = default);
}
