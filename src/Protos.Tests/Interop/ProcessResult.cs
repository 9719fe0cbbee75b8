namespace Sealpod.Protos.Tests.Interop;

internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);
