namespace Sealpod.Agent.IO;

/// <summary>Which output of a process a read is for.</summary>
internal enum OutputStream
{
    Stdout,
    Stderr,
}
