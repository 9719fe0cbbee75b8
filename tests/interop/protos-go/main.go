// protos-go is the Go side of Sealpod's protobuf interop tests. It is built against
// Debian's containerd 1.6 Go packages (GOPATH=/usr/share/gocode, GO111MODULE=off), so the
// bytes it writes and the values it reads are exactly what containerd itself produces and
// understands.
//
//	protos-go encode          print one "<fixture> <hex>" line per fixture
//	protos-go decode <kind>   read hex from stdin, decode it as <kind>, print JSON
package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/ioutil"
	"os"
	"sort"
	"strings"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "protos-go:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: protos-go encode | protos-go decode <kind>")
	}
	switch args[0] {
	case "encode":
		return encodeAll()
	case "decode":
		if len(args) != 2 {
			return fmt.Errorf("usage: protos-go decode <kind>")
		}
		return decodeOne(args[1])
	default:
		return fmt.Errorf("unknown command %q", args[0])
	}
}

func encodeAll() error {
	fixtures, err := buildFixtures()
	if err != nil {
		return err
	}
	names := make([]string, 0, len(fixtures))
	for name := range fixtures {
		names = append(names, name)
	}
	sort.Strings(names)
	out := bufio.NewWriter(os.Stdout)
	for _, name := range names {
		data, err := fixtures[name].Marshal()
		if err != nil {
			return fmt.Errorf("marshal %s: %w", name, err)
		}
		fmt.Fprintf(out, "%s %s\n", name, hex.EncodeToString(data))
	}
	return out.Flush()
}

func decodeOne(kind string) error {
	raw, err := ioutil.ReadAll(os.Stdin)
	if err != nil {
		return err
	}
	data, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil {
		return fmt.Errorf("stdin is not hex: %w", err)
	}
	report, err := decode(kind, data)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(report)
}
