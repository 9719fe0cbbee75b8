namespace Sealpod.TestSupport;

/// <summary>
/// The Go simple-kbs stand-in (Interop/simple-kbs, Debian's grpc-go 1.33 and the Go peers' shared package in
/// tests/interop/gopath), built once for the collection.
/// </summary>
public sealed class SimpleKbsBuild() : GoProgramBuild(
    "simple-kbs",
    Repository.Combine("src", "Tee.Tests", "Interop", "simple-kbs"),
    Repository.Combine("tests", "interop", "gopath"));
