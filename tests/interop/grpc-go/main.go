// grpc-go is a real gRPC server (Debian's google.golang.org/grpc 1.33) for Sealpod's gRPC
// client tests. It needs no generated code: every call reaches one UnknownServiceHandler
// through a raw-bytes codec, and the few messages it reads are decoded with protowire.
//
//	grpc-go -unix <socket path>
//
// It listens on 127.0.0.1:0 and on the unix socket, prints "tcp=<addr>", "unix=<path>" and
// "ready", and exits when its stdin closes, so it never outlives the test that started it.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"

	"sealpod/interop/rawgrpc"
)

func main() {
	unixPath := flag.String("unix", "", "unix socket to listen on besides TCP")
	flag.Parse()
	if *unixPath == "" {
		fmt.Fprintln(os.Stderr, "grpc-go: -unix is required")
		os.Exit(2)
	}

	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		rawgrpc.Fail("grpc-go", err)
	}
	unix, err := net.Listen("unix", *unixPath)
	if err != nil {
		rawgrpc.Fail("grpc-go", err)
	}

	handler := newTestService()
	rawgrpc.Serve(handler.handle, fmt.Sprintf("tcp=%s\nunix=%s\n", tcp.Addr(), *unixPath), tcp, unix)
	os.Remove(*unixPath)
}
