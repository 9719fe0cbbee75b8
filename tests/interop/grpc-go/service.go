package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang/protobuf/ptypes/wrappers"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// testService implements the methods of the fictional "sealpod.test.Probe" service, plus a
// keybroker.KeyBrokerService stand-in that reads and writes simple-kbs messages.
type testService struct {
	mu sync.Mutex
	// Sleep calls are named by their "sleep-id" metadata. Each one's entry is closed
	// once it is waiting, and receives how it ended.
	sleeps map[string]*sleepRecord
}

type sleepRecord struct {
	started chan struct{}
	outcome chan string
}

func newTestService() *testService {
	return &testService{sleeps: map[string]*sleepRecord{}}
}

func (s *testService) sleepRecord(id string) *sleepRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	record, ok := s.sleeps[id]
	if !ok {
		record = &sleepRecord{started: make(chan struct{}), outcome: make(chan string, 1)}
		s.sleeps[id] = record
	}
	return record
}

type unaryFunc func(ctx context.Context, request []byte) ([]byte, error)

func (s *testService) handle(_ interface{}, stream grpc.ServerStream) error {
	method, _ := grpc.MethodFromServerStream(stream)
	handlers := map[string]unaryFunc{
		"/sealpod.test.Probe/Echo":              s.echo,
		"/sealpod.test.Probe/EchoAsList":        s.echo,
		"/sealpod.test.Probe/Metadata":          s.metadata,
		"/sealpod.test.Probe/Fail":              s.fail,
		"/sealpod.test.Probe/FailWithDetails":   s.failWithDetails,
		"/sealpod.test.Probe/Sleep":             s.sleep,
		"/sealpod.test.Probe/SleepStarted":      s.sleepStarted,
		"/sealpod.test.Probe/SleepOutcome":      s.sleepOutcome,
		"/sealpod.test.Probe/Deadline":          s.deadline,
		"/sealpod.test.Probe/Large":             s.large,
		"/keybroker.KeyBrokerService/GetBundle": getBundle,
		"/keybroker.KeyBrokerService/GetSecret": getSecret,
	}
	handler, ok := handlers[method]
	if !ok {
		return status.Errorf(codes.Unimplemented, "unknown method %s", method)
	}

	var request []byte
	if err := stream.RecvMsg(&request); err != nil {
		return err
	}
	if err := echoMetadata(stream); err != nil {
		return err
	}
	response, err := handler(stream.Context(), request)
	if err != nil {
		return err
	}
	return stream.SendMsg(&response)
}

// echoMetadata returns the caller's own metadata: as "echo-<key>" headers and
// "trailer-<key>" trailers. Keys ending in -bin stay binary both ways.
func echoMetadata(stream grpc.ServerStream) error {
	incoming, _ := metadata.FromIncomingContext(stream.Context())
	headers, trailers := metadata.MD{}, metadata.MD{}
	for key, values := range incoming {
		if strings.HasPrefix(key, ":") || strings.HasPrefix(key, "grpc-") ||
			key == "content-type" || key == "user-agent" || key == "te" {
			continue
		}
		headers["echo-"+key] = values
		trailers["trailer-"+key] = values
	}
	if ua, ok := incoming["user-agent"]; ok {
		headers["echo-user-agent"] = ua
	}
	stream.SetTrailer(trailers)
	return stream.SetHeader(headers)
}

func (s *testService) echo(_ context.Context, request []byte) ([]byte, error) {
	return request, nil
}

// metadata answers a StringValue listing the caller's metadata, one "key=value" line per value in key
// order, without the transport's own headers; values of -bin keys are written in hex.
func (s *testService) metadata(ctx context.Context, _ []byte) ([]byte, error) {
	incoming, _ := metadata.FromIncomingContext(ctx)
	var lines []string
	for key, values := range incoming {
		if strings.HasPrefix(key, ":") || strings.HasPrefix(key, "grpc-") ||
			key == "content-type" || key == "user-agent" || key == "te" {
			continue
		}
		for _, value := range values {
			if strings.HasSuffix(key, "-bin") {
				value = hex.EncodeToString([]byte(value))
			}
			lines = append(lines, key+"="+value)
		}
	}
	sort.Strings(lines)
	return proto.Marshal(wrapperspb.String(strings.Join(lines, "\n")))
}

// fail answers a StringValue "<code>|<message>" with that status.
func (s *testService) fail(_ context.Context, request []byte) ([]byte, error) {
	code, message, err := parseFailure(request)
	if err != nil {
		return nil, err
	}
	return nil, status.Error(code, message)
}

// failWithDetails is fail plus two details: StringValue "detail-1" and UInt32Value 42.
// grpc 1.33 packs details with the v1 protobuf API, hence the v1 wrapper types here.
func (s *testService) failWithDetails(_ context.Context, request []byte) ([]byte, error) {
	code, message, err := parseFailure(request)
	if err != nil {
		return nil, err
	}
	st, err := status.New(code, message).WithDetails(
		&wrappers.StringValue{Value: "detail-1"}, &wrappers.UInt32Value{Value: 42})
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	return nil, st.Err()
}

func parseFailure(request []byte) (codes.Code, string, error) {
	var text wrapperspb.StringValue
	if err := proto.Unmarshal(request, &text); err != nil {
		return 0, "", status.Error(codes.InvalidArgument, err.Error())
	}
	parts := strings.SplitN(text.GetValue(), "|", 2)
	code, err := strconv.Atoi(parts[0])
	if err != nil || len(parts) != 2 {
		return 0, "", status.Errorf(codes.InvalidArgument, "want <code>|<message>, got %q", text.GetValue())
	}
	return codes.Code(code), parts[1], nil
}

// sleep waits UInt32Value milliseconds or until the call's context ends, whichever is first.
func (s *testService) sleep(ctx context.Context, request []byte) ([]byte, error) {
	var millis wrapperspb.UInt32Value
	if err := proto.Unmarshal(request, &millis); err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	incoming, _ := metadata.FromIncomingContext(ctx)
	ids := incoming.Get("sleep-id")
	if len(ids) != 1 {
		return nil, status.Error(codes.InvalidArgument, "Sleep needs exactly one sleep-id")
	}
	record := s.sleepRecord(ids[0])
	timer := time.NewTimer(time.Duration(millis.GetValue()) * time.Millisecond)
	defer timer.Stop()
	close(record.started)
	// The client's own timer and the server's deadline race: whichever fires first ends
	// the call, as "canceled" (the client reset the stream) or "deadline-exceeded".
	_, hasDeadline := ctx.Deadline()
	select {
	case <-timer.C:
		record.outcome <- fmt.Sprintf("completed deadline=%t", hasDeadline)
		return request, nil
	case <-ctx.Done():
		reason := "canceled"
		if ctx.Err() == context.DeadlineExceeded {
			reason = "deadline-exceeded"
		}
		record.outcome <- fmt.Sprintf("%s deadline=%t", reason, hasDeadline)
		return nil, status.FromContextError(ctx.Err()).Err()
	}
}

// sleepStarted returns once the Sleep call named by the StringValue is waiting.
func (s *testService) sleepStarted(ctx context.Context, request []byte) ([]byte, error) {
	record, err := s.namedSleep(request)
	if err != nil {
		return nil, err
	}
	select {
	case <-record.started:
		return proto.Marshal(wrapperspb.String("started"))
	case <-time.After(30 * time.Second):
		return nil, status.Error(codes.NotFound, "that Sleep call never started")
	case <-ctx.Done():
		return nil, status.FromContextError(ctx.Err()).Err()
	}
}

// sleepOutcome reports how the named Sleep call ended, waiting for it if needed.
func (s *testService) sleepOutcome(ctx context.Context, request []byte) ([]byte, error) {
	record, err := s.namedSleep(request)
	if err != nil {
		return nil, err
	}
	select {
	case outcome := <-record.outcome:
		return proto.Marshal(wrapperspb.String(outcome))
	case <-time.After(30 * time.Second):
		return nil, status.Error(codes.NotFound, "that Sleep call has not ended")
	case <-ctx.Done():
		return nil, status.FromContextError(ctx.Err()).Err()
	}
}

func (s *testService) namedSleep(request []byte) (*sleepRecord, error) {
	var id wrapperspb.StringValue
	if err := proto.Unmarshal(request, &id); err != nil || id.GetValue() == "" {
		return nil, status.Error(codes.InvalidArgument, "want a StringValue sleep id")
	}
	return s.sleepRecord(id.GetValue()), nil
}

// deadline reports the milliseconds left before the call's deadline, or "none".
func (s *testService) deadline(ctx context.Context, _ []byte) ([]byte, error) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return proto.Marshal(wrapperspb.String("none"))
	}
	return proto.Marshal(wrapperspb.String(fmt.Sprint(time.Until(deadline).Milliseconds())))
}

// large answers a BytesValue of UInt32Value bytes.
func (s *testService) large(_ context.Context, request []byte) ([]byte, error) {
	var size wrapperspb.UInt32Value
	if err := proto.Unmarshal(request, &size); err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	payload := make([]byte, size.GetValue())
	for i := range payload {
		payload[i] = byte(i)
	}
	return proto.Marshal(wrapperspb.Bytes(payload))
}
