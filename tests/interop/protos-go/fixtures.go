package main

import (
	"time"

	cgroupsv1 "github.com/containerd/cgroups/stats/v1"
	cgroupsv2 "github.com/containerd/cgroups/v2/stats"
	eventstypes "github.com/containerd/containerd/api/events"
	ttrpcevents "github.com/containerd/containerd/api/services/ttrpc/events/v1"
	"github.com/containerd/containerd/api/types"
	tasktypes "github.com/containerd/containerd/api/types/task"
	runtimeoptions "github.com/containerd/containerd/pkg/runtimeoptions/v1"
	runcoptions "github.com/containerd/containerd/runtime/v2/runc/options"
	"github.com/containerd/containerd/runtime/v2/task"
	"github.com/containerd/typeurl"
)

// marshaler is what every gogo-generated message offers.
type marshaler interface {
	Marshal() ([]byte, error)
}

// Fixed instants so that both sides can assert exact values.
var (
	envelopeTime = time.Unix(1700000000, 123456789).UTC()
	exitTime     = time.Unix(1700000001, 500).UTC()
)

func buildFixtures() (map[string]marshaler, error) {
	options, err := typeurl.MarshalAny(&runtimeoptions.Options{
		TypeUrl:    "io.containerd.sealpod.v1.Options",
		ConfigPath: "/etc/sealpod/configuration-qemu-snp.toml",
	})
	if err != nil {
		return nil, err
	}
	exit, err := typeurl.MarshalAny(&eventstypes.TaskExit{
		ContainerID: "ctr-1",
		ID:          "exec-7",
		Pid:         4242,
		ExitStatus:  137,
		ExitedAt:    exitTime,
	})
	if err != nil {
		return nil, err
	}
	metrics := cgroupsV1Metrics()
	stats, err := typeurl.MarshalAny(metrics)
	if err != nil {
		return nil, err
	}
	details, err := typeurl.MarshalAny(&runcoptions.ProcessDetails{ExecID: "exec-7"})
	if err != nil {
		return nil, err
	}

	return map[string]marshaler{
		"create-task": &task.CreateTaskRequest{
			ID:     "ctr-1",
			Bundle: "/run/containerd/io.containerd.runtime.v2.task/default/ctr-1",
			Rootfs: []*types.Mount{
				{
					Type:    "overlay",
					Source:  "overlay",
					Options: []string{"index=off", "workdir=/snap/2/work", "upperdir=/snap/2/fs", "lowerdir=/snap/1/fs"},
				},
				{
					Type:    "bind",
					Source:  "/var/lib/data",
					Target:  "/data",
					Options: []string{"rbind", "ro"},
				},
			},
			Terminal:         true,
			Stdin:            "/run/containerd/fifo/1/ctr-1-stdin",
			Stdout:           "/run/containerd/fifo/1/ctr-1-stdout",
			Stderr:           "/run/containerd/fifo/1/ctr-1-stderr",
			Checkpoint:       "/var/lib/checkpoint",
			ParentCheckpoint: "/var/lib/parent",
			Options:          options,
		},
		"forward-exit": &ttrpcevents.ForwardRequest{
			Envelope: &ttrpcevents.Envelope{
				Timestamp: envelopeTime,
				Namespace: "k8s.io",
				Topic:     "/tasks/exit",
				Event:     exit,
			},
		},
		"state": &task.StateResponse{
			ID:         "ctr-1",
			Bundle:     "/run/containerd/io.containerd.runtime.v2.task/default/ctr-1",
			Pid:        4242,
			Status:     tasktypes.StatusStopped,
			Stdin:      "/fifo/in",
			Stdout:     "/fifo/out",
			Stderr:     "/fifo/err",
			Terminal:   true,
			ExitStatus: 3,
			ExitedAt:   exitTime,
			ExecID:     "exec-7",
		},
		"delete": &task.DeleteResponse{
			Pid:        4242,
			ExitStatus: 137,
			ExitedAt:   exitTime,
		},
		"cgroups-v1": metrics,
		"cgroups-v2": cgroupsV2Metrics(),
		"stats":      &task.StatsResponse{Stats: stats},
		"pids": &task.PidsResponse{
			Processes: []*tasktypes.ProcessInfo{
				{Pid: 4242},
				{Pid: 4343, Info: details},
			},
		},
	}, nil
}

func cgroupsV1Metrics() *cgroupsv1.Metrics {
	entry := func(limit, usage, max, failcnt uint64) *cgroupsv1.MemoryEntry {
		return &cgroupsv1.MemoryEntry{Limit: limit, Usage: usage, Max: max, Failcnt: failcnt}
	}
	return &cgroupsv1.Metrics{
		Hugetlb: []*cgroupsv1.HugetlbStat{{Usage: 2097152, Max: 4194304, Failcnt: 1, Pagesize: "2MB"}},
		Pids:    &cgroupsv1.PidsStat{Current: 7, Limit: 1024},
		CPU: &cgroupsv1.CPUStat{
			Usage:      &cgroupsv1.CPUUsage{Total: 123456789, Kernel: 23456789, User: 100000000, PerCPU: []uint64{60000000, 63456789}},
			Throttling: &cgroupsv1.Throttle{Periods: 10, ThrottledPeriods: 2, ThrottledTime: 3000000},
		},
		Memory: &cgroupsv1.MemoryStat{
			Cache: 1, RSS: 2, RSSHuge: 3, MappedFile: 4, Dirty: 5, Writeback: 6,
			PgPgIn: 7, PgPgOut: 8, PgFault: 9, PgMajFault: 10,
			InactiveAnon: 11, ActiveAnon: 12, InactiveFile: 13, ActiveFile: 14, Unevictable: 15,
			HierarchicalMemoryLimit: 16, HierarchicalSwapLimit: 17,
			TotalCache: 18, TotalRSS: 19, TotalRSSHuge: 20, TotalMappedFile: 21, TotalDirty: 22,
			TotalWriteback: 23, TotalPgPgIn: 24, TotalPgPgOut: 25, TotalPgFault: 26, TotalPgMajFault: 27,
			TotalInactiveAnon: 28, TotalActiveAnon: 29, TotalInactiveFile: 30, TotalActiveFile: 31,
			TotalUnevictable: 32,
			Usage:            entry(536870912, 10485760, 20971520, 0),
			Swap:             entry(1073741824, 0, 4096, 0),
			Kernel:           entry(0, 524288, 1048576, 0),
			KernelTCP:        entry(0, 8192, 16384, 0),
		},
		Blkio: &cgroupsv1.BlkIOStat{
			IoServiceBytesRecursive: []*cgroupsv1.BlkIOEntry{
				{Op: "Read", Device: "vda", Major: 254, Minor: 0, Value: 4096},
				{Op: "Write", Device: "vda", Major: 254, Minor: 0, Value: 8192},
			},
			IoServicedRecursive: []*cgroupsv1.BlkIOEntry{{Op: "Total", Major: 254, Minor: 16, Value: 3}},
			SectorsRecursive:    []*cgroupsv1.BlkIOEntry{{Op: "Total", Major: 8, Minor: 0, Value: 24}},
		},
		Rdma: &cgroupsv1.RdmaStat{
			Current: []*cgroupsv1.RdmaEntry{{Device: "mlx5_0", HcaHandles: 1, HcaObjects: 2}},
			Limit:   []*cgroupsv1.RdmaEntry{{Device: "mlx5_0", HcaHandles: 10, HcaObjects: 20}},
		},
		Network: []*cgroupsv1.NetworkStat{{
			Name: "eth0", RxBytes: 1, RxPackets: 2, RxErrors: 3, RxDropped: 4,
			TxBytes: 5, TxPackets: 6, TxErrors: 7, TxDropped: 8,
		}},
		CgroupStats:      &cgroupsv1.CgroupStats{NrSleeping: 1, NrRunning: 2, NrStopped: 3, NrUninterruptible: 4, NrIoWait: 5},
		MemoryOomControl: &cgroupsv1.MemoryOomControl{OomKillDisable: 1, UnderOom: 0, OomKill: 2},
	}
}

func cgroupsV2Metrics() *cgroupsv2.Metrics {
	return &cgroupsv2.Metrics{
		Pids: &cgroupsv2.PidsStat{Current: 3, Limit: 512},
		CPU:  &cgroupsv2.CPUStat{UsageUsec: 1000, UserUsec: 600, SystemUsec: 400, NrPeriods: 5, NrThrottled: 1, ThrottledUsec: 20},
		Memory: &cgroupsv2.MemoryStat{
			Anon: 4096, File: 8192, KernelStack: 16384, Slab: 100, Sock: 200, Shmem: 300,
			Pgfault: 77, Pgmajfault: 7, Usage: 1048576, UsageLimit: 268435456, SwapUsage: 0, SwapLimit: 536870912,
		},
		Io:           &cgroupsv2.IOStat{Usage: []*cgroupsv2.IOEntry{{Major: 254, Minor: 0, Rbytes: 4096, Wbytes: 512, Rios: 2, Wios: 1}}},
		Hugetlb:      []*cgroupsv2.HugeTlbStat{{Current: 0, Max: 2097152, Pagesize: "2MB"}},
		MemoryEvents: &cgroupsv2.MemoryEvents{Low: 0, High: 1, Max: 2, Oom: 3, OomKill: 4},
	}
}
