namespace Sealpod.Agent.Runtime;

/// <summary>
/// Descriptors the runtime CLI receives as its stdin/stdout/stderr; without a console socket the
/// runtime hands them on to the container process unchanged.
/// </summary>
internal readonly record struct RuntimeStdio(int Stdin, int Stdout, int Stderr);
