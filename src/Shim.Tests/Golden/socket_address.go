// Prints containerd 1.6's shim socket address for a few (address, namespace, id) cases, one per line:
// address|namespace|id|unix://... . Built against Debian's golang-github-containerd-containerd-dev.
package main

import (
	"context"
	"fmt"

	"github.com/containerd/containerd/namespaces"
	"github.com/containerd/containerd/runtime/v2/shim"
)

func main() {
	cases := [][3]string{
		{"/run/containerd/containerd.sock", "default", "demo"},
		{"/run/containerd/containerd.sock", "k8s.io", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
		{"/work/main/build/containerd/containerd.sock", "sealpod", "demo"},
		{"/run//containerd/./containerd.sock/", "ns", "a.b-c_d"},
	}
	for _, c := range cases {
		ctx := namespaces.WithNamespace(context.Background(), c[1])
		a, err := shim.SocketAddress(ctx, c[0], c[2])
		if err != nil { panic(err) }
		fmt.Printf("%s|%s|%s|%s\n", c[0], c[1], c[2], a)
	}
}
