package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/ioutil"
	"net"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/containerd/ttrpc"
	"github.com/gogo/protobuf/types"
)

type benchSettings struct {
	payload     int
	calls       int
	concurrency int
	duration    time.Duration
}

type benchReport struct {
	Implementation string  `json:"implementation"`
	PayloadBytes   int     `json:"payloadBytes"`
	SequentialN    int     `json:"sequentialCalls"`
	P50Micros      float64 `json:"p50Micros"`
	P99Micros      float64 `json:"p99Micros"`
	SequentialRate float64 `json:"sequentialCallsPerSecond"`
	Concurrency    int     `json:"concurrency"`
	ConcurrentN    int64   `json:"concurrentCalls"`
	ConcurrentRate float64 `json:"concurrentCallsPerSecond"`
}

func newBenchServer() (*ttrpc.Server, error) {
	server, err := ttrpc.NewServer()
	if err != nil {
		return nil, err
	}
	server.Register(benchService, map[string]ttrpc.Method{
		"Echo": func(ctx context.Context, unmarshal func(interface{}) error) (interface{}, error) {
			var req types.BytesValue
			if err := unmarshal(&req); err != nil {
				return nil, err
			}
			return &types.BytesValue{Value: req.Value}, nil
		},
	})
	return server, nil
}

func runBenchServer(socket string) error {
	server, err := newBenchServer()
	if err != nil {
		return err
	}
	return serveUntilSignal(server, socket)
}

func runBenchLocal(s benchSettings) error {
	dir, err := ioutil.TempDir("", "ttrpc-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	socket := filepath.Join(dir, "bench.sock")

	server, err := newBenchServer()
	if err != nil {
		return err
	}
	listener, err := net.Listen("unix", socket)
	if err != nil {
		return err
	}
	go server.Serve(context.Background(), listener)
	defer server.Close()

	return runBenchClientAs(socket, s, "go-client/go-server")
}

func runBenchClient(socket string, s benchSettings) error {
	return runBenchClientAs(socket, s, "go-client")
}

func runBenchClientAs(socket string, s benchSettings, name string) error {
	conn, err := net.Dial("unix", socket)
	if err != nil {
		return err
	}
	client := ttrpc.NewClient(conn)
	defer client.Close()

	ctx := context.Background()
	payload := bytes.Repeat([]byte{0xA5}, s.payload)
	call := func() error {
		var resp types.BytesValue
		if err := client.Call(ctx, benchService, "Echo", &types.BytesValue{Value: payload}, &resp); err != nil {
			return err
		}
		if len(resp.Value) != len(payload) {
			return fmt.Errorf("echo returned %d bytes, sent %d", len(resp.Value), len(payload))
		}
		return nil
	}

	// Warm up both sides before measuring.
	for i := 0; i < 2000; i++ {
		if err := call(); err != nil {
			return err
		}
	}

	latencies := make([]time.Duration, s.calls)
	started := time.Now()
	for i := range latencies {
		t := time.Now()
		if err := call(); err != nil {
			return err
		}
		latencies[i] = time.Since(t)
	}
	sequential := time.Since(started)
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })

	var (
		done     int64
		failures int64
		wg       sync.WaitGroup
	)
	total := int64(s.calls * 5)
	deadline := time.Time{}
	if s.duration > 0 {
		deadline = time.Now().Add(s.duration)
		total = 1 << 62
	}
	started = time.Now()
	for w := 0; w < s.concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if !deadline.IsZero() && time.Now().After(deadline) {
					return
				}
				if atomic.AddInt64(&done, 1) > total {
					atomic.AddInt64(&done, -1)
					return
				}
				if err := call(); err != nil {
					atomic.AddInt64(&failures, 1)
					return
				}
			}
		}()
	}
	wg.Wait()
	concurrent := time.Since(started)
	if failures > 0 {
		return fmt.Errorf("%d concurrent calls failed", failures)
	}

	return json.NewEncoder(os.Stdout).Encode(benchReport{
		Implementation: name,
		PayloadBytes:   s.payload,
		SequentialN:    s.calls,
		P50Micros:      micros(latencies[len(latencies)/2]),
		P99Micros:      micros(latencies[len(latencies)*99/100]),
		SequentialRate: float64(s.calls) / sequential.Seconds(),
		Concurrency:    s.concurrency,
		ConcurrentN:    done,
		ConcurrentRate: float64(done) / concurrent.Seconds(),
	})
}

func micros(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1000 }
