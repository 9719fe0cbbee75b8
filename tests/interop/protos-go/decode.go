package main

import (
	"fmt"

	cgroupsv1 "github.com/containerd/cgroups/stats/v1"
	cgroupsv2 "github.com/containerd/cgroups/v2/stats"
	eventstypes "github.com/containerd/containerd/api/events"
	ttrpcevents "github.com/containerd/containerd/api/services/ttrpc/events/v1"
	runtimeoptions "github.com/containerd/containerd/pkg/runtimeoptions/v1"
	// Registers the OCI JSON type URLs exactly as containerd's runtime does.
	_ "github.com/containerd/containerd/runtime"
	"github.com/containerd/containerd/runtime/v2/task"
	"github.com/containerd/typeurl"
	"github.com/gogo/protobuf/types"
)

type unmarshaler interface {
	Unmarshal([]byte) error
}

// report is what decode prints: the message as containerd's Go types see it, plus the
// content of its Any field decoded through containerd's typeurl registry.
type report struct {
	Message interface{} `json:"message"`
	AnyType string      `json:"any_type,omitempty"`
	Any     interface{} `json:"any,omitempty"`
}

func decode(kind string, data []byte) (*report, error) {
	var msg unmarshaler
	var anyOf func() *types.Any
	switch kind {
	case "create-task":
		m := &task.CreateTaskRequest{}
		msg, anyOf = m, func() *types.Any { return m.Options }
	case "forward-exit":
		m := &ttrpcevents.ForwardRequest{}
		msg, anyOf = m, func() *types.Any {
			if m.Envelope == nil {
				return nil
			}
			return m.Envelope.Event
		}
	case "state":
		msg = &task.StateResponse{}
	case "delete":
		msg = &task.DeleteResponse{}
	case "task-create":
		msg = &eventstypes.TaskCreate{}
	case "exec":
		m := &task.ExecProcessRequest{}
		msg, anyOf = m, func() *types.Any { return m.Spec }
	case "stats":
		m := &task.StatsResponse{}
		msg, anyOf = m, func() *types.Any { return m.Stats }
	case "cgroups-v1":
		msg = &cgroupsv1.Metrics{}
	case "cgroups-v2":
		msg = &cgroupsv2.Metrics{}
	case "runtime-options":
		msg = &runtimeoptions.Options{}
	default:
		return nil, fmt.Errorf("unknown kind %q", kind)
	}
	if err := msg.Unmarshal(data); err != nil {
		return nil, fmt.Errorf("unmarshal %s: %w", kind, err)
	}
	out := &report{Message: msg}
	if anyOf == nil {
		return out, nil
	}
	a := anyOf()
	if a == nil {
		return out, nil
	}
	out.AnyType = a.TypeUrl
	inner, err := typeurl.UnmarshalAny(a)
	if err != nil {
		return nil, fmt.Errorf("typeurl cannot decode %q: %w", a.TypeUrl, err)
	}
	out.Any = inner
	return out, nil
}
