package rawgrpc

import (
	"bufio"
	"fmt"
	"io"
	"io/ioutil"
	"net"
	"os"
	"strings"

	"google.golang.org/grpc"
)

// Serve serves every unknown-service call with handle through the raw codec on each listener, prints the announce
// lines and "ready" on stdout, and returns once stdin closes, with the server stopped: the test holds a peer's stdin
// open for as long as it wants the peer, so a peer never outlives the test that started it.
func Serve(handle grpc.StreamHandler, announce string, listeners ...net.Listener) {
	server := grpc.NewServer(grpc.CustomCodec(Codec{}), grpc.UnknownServiceHandler(handle))
	for _, listener := range listeners {
		go server.Serve(listener)
	}

	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintf(out, "%sready\n", announce)
	out.Flush()

	io.Copy(ioutil.Discard, os.Stdin)
	server.Stop()
}

// Fail reports err on stderr under the peer's name and exits 1: a peer that cannot start says why and goes.
func Fail(program string, err error) {
	fmt.Fprintln(os.Stderr, program+":", strings.TrimSpace(err.Error()))
	os.Exit(1)
}
