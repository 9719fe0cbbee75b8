package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"sort"
	"syscall"
	"time"

	"github.com/containerd/ttrpc"
	"github.com/gogo/protobuf/types"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// sleepOutcomes reports how each Sleep call ended, for LastSleep.
var sleepOutcomes = make(chan string, 16)

func runInteropServer(socket string) error {
	server, err := ttrpc.NewServer(ttrpc.WithServerHandshaker(ttrpc.UnixSocketRequireSameUser()))
	if err != nil {
		return err
	}

	server.Register(interopService, map[string]ttrpc.Method{
		// Echo returns the request string unchanged.
		"Echo": func(ctx context.Context, unmarshal func(interface{}) error) (interface{}, error) {
			var req types.StringValue
			if err := unmarshal(&req); err != nil {
				return nil, err
			}
			return &types.StringValue{Value: req.Value}, nil
		},
		// Metadata returns the request metadata as a Struct of key -> list of values.
		"Metadata": func(ctx context.Context, unmarshal func(interface{}) error) (interface{}, error) {
			var req types.Empty
			if err := unmarshal(&req); err != nil {
				return nil, err
			}
			md, _ := ttrpc.GetMetadata(ctx)
			return metadataStruct(md), nil
		},
		// Fail answers with the status given as Struct{code, message}.
		"Fail": func(ctx context.Context, unmarshal func(interface{}) error) (interface{}, error) {
			var req types.Struct
			if err := unmarshal(&req); err != nil {
				return nil, err
			}
			code := codes.Code(int(req.Fields["code"].GetNumberValue()))
			return nil, status.Error(code, req.Fields["message"].GetStringValue())
		},
		// Deadline reports the time left until the request deadline in nanoseconds, or -1 without one.
		"Deadline": func(ctx context.Context, unmarshal func(interface{}) error) (interface{}, error) {
			var req types.Empty
			if err := unmarshal(&req); err != nil {
				return nil, err
			}
			deadline, ok := ctx.Deadline()
			if !ok {
				return &types.Int64Value{Value: -1}, nil
			}
			return &types.Int64Value{Value: int64(time.Until(deadline))}, nil
		},
		// Sleep waits for the given duration unless the request context ends first.
		"Sleep": func(ctx context.Context, unmarshal func(interface{}) error) (interface{}, error) {
			var req types.Duration
			if err := unmarshal(&req); err != nil {
				return nil, err
			}
			d, err := types.DurationFromProto(&req)
			if err != nil {
				return nil, status.Error(codes.InvalidArgument, err.Error())
			}
			started := time.Now()
			select {
			case <-time.After(d):
				sleepOutcomes <- "completed"
				return &types.Empty{}, nil
			case <-ctx.Done():
				outcome := "canceled"
				if errors.Is(ctx.Err(), context.DeadlineExceeded) {
					outcome = "deadline-exceeded"
				}
				sleepOutcomes <- fmt.Sprintf("%s after %dms", outcome, time.Since(started).Milliseconds())
				return nil, ctx.Err()
			}
		},
		// LastSleep waits (up to 10 s) for the outcome of an earlier Sleep.
		"LastSleep": func(ctx context.Context, unmarshal func(interface{}) error) (interface{}, error) {
			select {
			case outcome := <-sleepOutcomes:
				return &types.StringValue{Value: outcome}, nil
			case <-time.After(10 * time.Second):
				return &types.StringValue{Value: "none"}, nil
			}
		},
	})

	return serveUntilSignal(server, socket)
}

func serveUntilSignal(server *ttrpc.Server, socket string) error {
	listener, err := net.Listen("unix", socket)
	if err != nil {
		return err
	}
	defer os.Remove(socket)

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-signals
		server.Close()
	}()

	// The parent waits for this line before it connects.
	fmt.Println("listening")
	if err := server.Serve(context.Background(), listener); err != nil && err != ttrpc.ErrServerClosed {
		return err
	}
	return nil
}

func metadataStruct(md ttrpc.MD) *types.Struct {
	result := &types.Struct{Fields: map[string]*types.Value{}}
	for key, values := range md {
		list := &types.ListValue{}
		for _, v := range values {
			list.Values = append(list.Values, &types.Value{Kind: &types.Value_StringValue{StringValue: v}})
		}
		result.Fields[key] = &types.Value{Kind: &types.Value_ListValue{ListValue: list}}
	}
	return result
}

// clientReport is what the client scenario prints for the C# test to check.
type clientReport struct {
	Echo             string              `json:"echo"`
	MetadataSeen     map[string][]string `json:"metadataSeen"`
	FailCode         int                 `json:"failCode"`
	FailMessage      string              `json:"failMessage"`
	UnknownCode      int                 `json:"unknownCode"`
	UnknownMessage   string              `json:"unknownMessage"`
	DeadlineNanos    int64               `json:"deadlineNanos"`
	NoDeadlineNanos  int64               `json:"noDeadlineNanos"`
	SleepError       string              `json:"sleepError"`
	SleepElapsedMs   int64               `json:"sleepElapsedMs"`
	ConcurrentEchoes int                 `json:"concurrentEchoes"`
}

func runInteropClient(socket string) error {
	conn, err := net.Dial("unix", socket)
	if err != nil {
		return err
	}
	client := ttrpc.NewClient(conn)
	defer client.Close()

	var report clientReport
	background := context.Background()

	// Echo with metadata; Metadata returns what the server saw.
	md := ttrpc.MD{}
	md.Set("X-Sealpod-Test", "a", "b")
	md.Set("containerd-namespace-ttrpc", "k8s.io")
	ctx := ttrpc.WithMetadata(background, md)
	var echo types.StringValue
	if err := client.Call(ctx, interopService, "Echo", &types.StringValue{Value: "hello from go"}, &echo); err != nil {
		return fmt.Errorf("Echo: %w", err)
	}
	report.Echo = echo.Value

	var seen types.Struct
	if err := client.Call(ctx, interopService, "Metadata", &types.Empty{}, &seen); err != nil {
		return fmt.Errorf("Metadata: %w", err)
	}
	report.MetadataSeen = map[string][]string{}
	for key, value := range seen.Fields {
		for _, v := range value.GetListValue().GetValues() {
			report.MetadataSeen[key] = append(report.MetadataSeen[key], v.GetStringValue())
		}
		sort.Strings(report.MetadataSeen[key])
	}

	// Errors: an explicit status, then an exception the server maps to Unknown.
	failReq := &types.Struct{Fields: map[string]*types.Value{
		"code":    {Kind: &types.Value_NumberValue{NumberValue: float64(codes.NotFound)}},
		"message": {Kind: &types.Value_StringValue{StringValue: "container abc not found"}},
	}}
	err = client.Call(background, interopService, "Fail", failReq, &types.Empty{})
	st, _ := status.FromError(err)
	report.FailCode, report.FailMessage = int(st.Code()), st.Message()

	err = client.Call(background, interopService, "Throw", &types.Empty{}, &types.Empty{})
	st, _ = status.FromError(err)
	report.UnknownCode, report.UnknownMessage = int(st.Code()), st.Message()

	// Deadlines: the server reports what it saw, then a handler outlives its deadline.
	var left types.Int64Value
	timed, cancel := context.WithTimeout(background, 5*time.Second)
	err = client.Call(timed, interopService, "Deadline", &types.Empty{}, &left)
	cancel()
	if err != nil {
		return fmt.Errorf("Deadline: %w", err)
	}
	report.DeadlineNanos = left.Value

	if err := client.Call(background, interopService, "Deadline", &types.Empty{}, &left); err != nil {
		return fmt.Errorf("Deadline without timeout: %w", err)
	}
	report.NoDeadlineNanos = left.Value

	started := time.Now()
	timed, cancel = context.WithTimeout(background, 300*time.Millisecond)
	err = client.Call(timed, interopService, "Sleep", types.DurationProto(30*time.Second), &types.Empty{})
	cancel()
	report.SleepElapsedMs = time.Since(started).Milliseconds()
	if err != nil {
		report.SleepError = err.Error()
	}

	// Many calls at once on the one connection, answered out of order by the server.
	results := make(chan error, 64)
	for i := 0; i < 64; i++ {
		go func(i int) {
			var out types.StringValue
			want := fmt.Sprintf("call-%d", i)
			err := client.Call(background, interopService, "Echo", &types.StringValue{Value: want}, &out)
			if err == nil && out.Value != want {
				err = fmt.Errorf("call %d got %q", i, out.Value)
			}
			results <- err
		}(i)
	}
	for i := 0; i < 64; i++ {
		if err := <-results; err != nil {
			return fmt.Errorf("concurrent Echo: %w", err)
		}
		report.ConcurrentEchoes++
	}

	return json.NewEncoder(os.Stdout).Encode(report)
}
