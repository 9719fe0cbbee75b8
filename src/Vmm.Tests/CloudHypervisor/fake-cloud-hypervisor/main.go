// fake-cloud-hypervisor stands in for cloud-hypervisor, which Debian 12 does not package: it serves the parts of
// Cloud Hypervisor's REST API (HTTP/1.1 on the --api-socket unix socket) that Sealpod's driver uses, keeps the VM
// state those calls imply (created, booted, paused, disks and their PCI addresses) and exits on vmm.shutdown or
// after the guest "powers off" (vm.power-button). It boots nothing.
//
// Every request is appended as one JSON line {"method","path","body"} to requests-<pid>.jsonl next to the binary,
// so a test can check each body Sealpod sent against Cloud Hypervisor's OpenAPI schema.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io/ioutil"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"
)

type vm struct {
	mu       sync.Mutex
	created  bool
	booted   bool
	paused   bool
	config   map[string]interface{}
	disks    map[string]int
	nextSlot int
	log      *os.File
}

func main() {
	socket := flag.String("api-socket", "", "API socket")
	flag.Bool("v", false, "verbose")
	flag.Parse()
	if *socket == "" {
		fmt.Fprintln(os.Stderr, "fake-cloud-hypervisor: --api-socket is required")
		os.Exit(2)
	}

	exe, _ := os.Executable()
	log, err := os.OpenFile(filepath.Join(filepath.Dir(exe), fmt.Sprintf("requests-%d.jsonl", os.Getpid())), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		fail(err)
	}

	listener, err := net.Listen("unix", *socket)
	if err != nil {
		fail(err)
	}

	v := &vm{disks: map[string]int{}, nextSlot: 2, log: log}
	fmt.Fprintln(os.Stderr, "fake-cloud-hypervisor: API on", *socket)
	http.Serve(listener, v)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "fake-cloud-hypervisor:", err)
	os.Exit(1)
}

func (v *vm) exitSoon() {
	go func() {
		time.Sleep(50 * time.Millisecond)
		os.Exit(0)
	}()
}

func (v *vm) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := ioutil.ReadAll(r.Body)
	var parsed interface{}
	if len(body) > 0 {
		if err := json.Unmarshal(body, &parsed); err != nil {
			http.Error(w, "body is not JSON: "+err.Error(), http.StatusBadRequest)
			return
		}
	}

	v.mu.Lock()
	defer v.mu.Unlock()
	line, _ := json.Marshal(map[string]interface{}{"method": r.Method, "path": r.URL.Path, "body": parsed})
	v.log.Write(append(line, '\n'))

	endpoint := filepath.Base(r.URL.Path)
	switch {
	case r.Method == http.MethodGet && endpoint == "vmm.ping":
		writeJSON(w, map[string]interface{}{"version": "v53.0-fake", "build_version": "fake", "pid": os.Getpid(), "features": []string{"kvm", "tdx", "sev_snp", "igvm"}})
	case r.Method == http.MethodPut && endpoint == "vm.create":
		if v.created {
			http.Error(w, "Error creating VM: VmAlreadyCreated", http.StatusInternalServerError)
			return
		}
		config, ok := parsed.(map[string]interface{})
		if !ok {
			http.Error(w, "Error creating VM: expected a VmConfig object", http.StatusBadRequest)
			return
		}
		v.created, v.config = true, config
		if disks, ok := config["disks"].([]interface{}); ok {
			for i, d := range disks {
				id, _ := d.(map[string]interface{})["id"].(string)
				if id == "" {
					id = fmt.Sprintf("_disk%d", i)
				}
				v.disks[id] = v.nextSlot
				v.nextSlot++
			}
		}
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodPut && endpoint == "vm.boot":
		if !v.created {
			http.Error(w, "Error booting VM: VmNotCreated", http.StatusNotFound)
			return
		}
		v.booted = true
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodGet && endpoint == "vm.info":
		if !v.created {
			http.Error(w, "VM is not created", http.StatusNotFound)
			return
		}
		tree := map[string]interface{}{}
		for id, slot := range v.disks {
			tree[id] = map[string]interface{}{"id": id, "pci_bdf": fmt.Sprintf("0000:00:%02x.0", slot)}
		}
		state := "Created"
		if v.paused {
			state = "Paused"
		} else if v.booted {
			state = "Running"
		}
		writeJSON(w, map[string]interface{}{"config": v.config, "state": state, "device_tree": tree})
	case r.Method == http.MethodPut && endpoint == "vm.add-disk":
		disk, _ := parsed.(map[string]interface{})
		id, _ := disk["id"].(string)
		if _, exists := v.disks[id]; exists || id == "" {
			http.Error(w, "Error adding disk: DeviceIdAlreadyInUse", http.StatusBadRequest)
			return
		}
		v.disks[id] = v.nextSlot
		v.nextSlot++
		writeJSON(w, map[string]interface{}{"id": id, "bdf": fmt.Sprintf("0000:00:%02x.0", v.disks[id])})
	case r.Method == http.MethodPut && endpoint == "vm.remove-device":
		request, _ := parsed.(map[string]interface{})
		id, _ := request["id"].(string)
		if _, exists := v.disks[id]; !exists {
			http.Error(w, "Error removing device: UnknownDeviceId", http.StatusNotFound)
			return
		}
		delete(v.disks, id)
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodPut && endpoint == "vm.pause":
		v.paused = true
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodPut && endpoint == "vm.resume":
		v.paused = false
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodPut && endpoint == "vm.power-button":
		w.WriteHeader(http.StatusNoContent)
		v.exitSoon()
	case r.Method == http.MethodPut && endpoint == "vm.shutdown":
		v.booted = false
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodPut && endpoint == "vmm.shutdown":
		w.WriteHeader(http.StatusNoContent)
		v.exitSoon()
	default:
		http.Error(w, "unknown endpoint "+r.Method+" "+r.URL.Path, http.StatusNotFound)
	}
}

func writeJSON(w http.ResponseWriter, value interface{}) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(value)
}
