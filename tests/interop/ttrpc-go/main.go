// Command ttrpc-interop is the Go peer of Sealpod's ttrpc interop tests and benchmark. It is built
// against containerd's own ttrpc (Debian's golang-github-containerd-ttrpc-dev, 1.1.x, gogo protobuf)
// with GOPATH=/usr/share/gocode GO111MODULE=off.
//
//	ttrpc-interop server -socket PATH        serve the interop service until killed
//	ttrpc-interop client -socket PATH        run the client scenario against PATH, print JSON
//	ttrpc-interop bench-server -socket PATH  serve the echo benchmark service until killed
//	ttrpc-interop bench-client -socket PATH  benchmark a server, print JSON
//	ttrpc-interop bench                      benchmark Go client against Go server, print JSON
package main

import (
	"flag"
	"fmt"
	"os"
)

// The interop service; the C# tests register the same names.
const (
	interopService = "sealpod.interop.v1.Interop"
	benchService   = "sealpod.bench.v1.Bench"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: ttrpc-interop server|client|bench-server|bench-client|bench [flags]")
		os.Exit(2)
	}

	flags := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	socket := flags.String("socket", "", "unix socket path")
	payload := flags.Int("payload", 128, "benchmark payload size in bytes")
	calls := flags.Int("calls", 20000, "benchmark sequential calls")
	concurrency := flags.Int("concurrency", 32, "benchmark concurrent callers on one connection")
	duration := flags.Duration("duration", 0, "benchmark concurrent phase length (0: same number of calls as -calls x 5)")
	flags.Parse(os.Args[2:])

	var err error
	switch os.Args[1] {
	case "server":
		err = runInteropServer(*socket)
	case "client":
		err = runInteropClient(*socket)
	case "bench-server":
		err = runBenchServer(*socket)
	case "bench-client":
		err = runBenchClient(*socket, benchSettings{*payload, *calls, *concurrency, *duration})
	case "bench":
		err = runBenchLocal(benchSettings{*payload, *calls, *concurrency, *duration})
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}

	if err != nil {
		fmt.Fprintln(os.Stderr, "ttrpc-interop:", err)
		os.Exit(1)
	}
}
