// simple-kbs is a stand-in for confidential-containers/simple-kbs, the SEV key broker of Kata's CCv0
// pre-attestation, served by Debian's real gRPC (google.golang.org/grpc 1.33) with a raw-bytes codec; the
// keybroker.proto messages are decoded by field number with protowire.
//
// It follows simple-kbs's checks: GetBundle needs a base64 certificate chain and opens a launch session;
// GetSecret needs that session's launch id (once), the same policy, a firmware digest equal to the one this
// server computes itself from the files it is told the guest boots (-ovmf, -kernel, -initrd, -cmdline:
// SHA-256 over OVMF plus QEMU's SEV hashes table), a launch measurement that verifies as the PSP's HMAC under
// the session's TIK, and a request for the configured keyset. What differs from the real broker, so a test
// can play the PSP: the session blob carries the TIK in clear (base64 JSON) instead of wrapped for the PSP.
//
//	simple-kbs -ovmf F -kernel K [-initrd I] -cmdline C -keyset KEYSET-1 -secret S
//
// Prints "addr=<host:port>", "digest=<base64>" and "ready", logs each call on stderr without secrets, and exits
// when its stdin closes.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"

	"sealpod/interop/rawgrpc"
)

func main() {
	ovmf := flag.String("ovmf", "", "firmware the guest boots")
	kernel := flag.String("kernel", "", "kernel the guest boots")
	initrd := flag.String("initrd", "", "initrd the guest boots (optional)")
	cmdline := flag.String("cmdline", "", "kernel command line the guest boots with")
	keyset := flag.String("keyset", "KEYSET-1", "keyset this broker releases")
	secret := flag.String("secret", "", "secret released for the keyset")
	flag.Parse()
	if *ovmf == "" || *kernel == "" || *secret == "" {
		fmt.Fprintln(os.Stderr, "simple-kbs: -ovmf, -kernel and -secret are required")
		os.Exit(2)
	}

	digest, err := launchDigest(*ovmf, *kernel, *initrd, *cmdline)
	if err != nil {
		rawgrpc.Fail("simple-kbs", err)
	}

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		rawgrpc.Fail("simple-kbs", err)
	}

	broker := newBroker(digest, *keyset, *secret)
	rawgrpc.Serve(broker.handle, fmt.Sprintf("addr=%s\ndigest=%s\n", listener.Addr(), base64Std(digest)), listener)
}
