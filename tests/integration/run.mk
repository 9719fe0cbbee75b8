# Shim targets, included by the top-level Makefile (`include tests/integration/run.mk`), which defines
# ROOT, BUILD, DOTNET and the `deps` and `guest` targets.
#
#   shim-aot     the NativeAOT shim, build/shim/containerd-shim-sealpod-v2 (rebuilt when a source changes)
#   snapshotter-aot  the NativeAOT sealpod-snapshotter, build/snapshotter/sealpod-snapshotter (likewise)
#   run          the Kubernetes path: a pod through containerd's CRI (sealpod handler) serving HTTP, fetched at its pod IP
#                (bench/CriBench demo: guest kernel, pod IP, page); leaves nothing behind
#   run-ctr      `ctr run ... uname -r` in a VM through a private containerd 1.6, timed; leaves nothing behind
#   install      the shim, sealpod-snapshotter and nydus-overlayfs to /usr/local/bin, sealpod-snapshotter.service to
#                /usr/local/lib/systemd/system, configs to /usr/share/defaults/sealpod, guest to /usr/share/sealpod (DESTDIR)
#   shim-bench   bench/ShimBench: ctr run vs runc, shim memory per sandbox, the shim's own time per start
#   bench-boot   bench/BootBench: QEMU start to agent ready and ctr run, Sealpod's kernel vs the cloud kernel (ROUNDS=10)
#   bench-cri    bench/CriBench: RunPodSandbox to the first HTTP byte from the pod IP, runc vs sealpod (ROUNDS=5)
#   bench-pull   bench/CriBench pull: first container start of a ~35 MB registry image pulled on the host (runc), on the
#                host and in the guest (force pull), in the guest only (sealpod-snapshotter) (ROUNDS=5). Not in make test.
#   soak         bench/CriBench soak: PODS pods at once through CRI, exercised (exec, log, HTTP) and removed, SOAK_ROUNDS
#                rounds; fails on any leftover (process, tap, tc filter, cgroup, mount, socket, FIFO, file). Not in make test.
#
# The integration tests (tests/integration) use the binary SEALPOD_SHIM_BINARY names, else the
# framework-dependent build; `make test` should export SEALPOD_SHIM_BINARY=$(SHIM_BIN) after shim-aot.

SHIM_BIN     := $(BUILD)/shim/containerd-shim-sealpod-v2
SHIM_SOURCES := $(shell find $(ROOT)/src/Shim $(ROOT)/src/Runtime $(ROOT)/src/Linux $(ROOT)/src/Rpc $(ROOT)/src/Protos $(ROOT)/src/Config \
                  $(ROOT)/src/Vmm $(ROOT)/src/AgentClient $(ROOT)/src/Tee $(ROOT)/src/Contract $(ROOT)/src/InitData $(ROOT)/src/Toml \
                  \( -name bin -o -name obj \) -prune -o \( -name '*.cs' -o -name '*.csproj' -o -name '*.proto' \) -print 2>/dev/null)

.PHONY: shim-aot snapshotter-aot run run-ctr install shim-bench bench-cri bench-boot bench-pull soak

shim-aot: $(SHIM_BIN)
$(SHIM_BIN): $(SHIM_SOURCES) $(ROOT)/scripts/shim/publish-shim.sh $(ROOT)/scripts/shim/publish-aot.sh
	@BUILD=$(BUILD) $(ROOT)/scripts/shim/publish-shim.sh

SNAPSHOTTER_BIN     := $(BUILD)/snapshotter/sealpod-snapshotter
SNAPSHOTTER_SOURCES := $(shell find $(ROOT)/src/Snapshotter $(ROOT)/src/Protos \( -name bin -o -name obj \) -prune -o \
                         \( -name '*.cs' -o -name '*.csproj' -o -name '*.proto' \) -print 2>/dev/null)

snapshotter-aot: $(SNAPSHOTTER_BIN)
$(SNAPSHOTTER_BIN): $(SNAPSHOTTER_SOURCES) $(ROOT)/scripts/shim/publish-aot.sh
	@BUILD=$(BUILD) $(ROOT)/scripts/shim/publish-snapshotter.sh

run: deps guest shim-aot
	@SEALPOD_SHIM_BINARY=$(SHIM_BIN) GUEST_OUT=$(GUEST_OUT) $(DOTNET) run -c Release --project $(ROOT)/bench/CriBench -- demo

run-ctr: deps guest shim-aot
	@BUILD=$(BUILD) $(ROOT)/scripts/shim/run-demo.sh

install: guest shim-aot snapshotter-aot
	@BUILD=$(BUILD) $(ROOT)/scripts/shim/install.sh

shim-bench: deps guest shim-aot
	@BUILD=$(BUILD) $(ROOT)/bench/ShimBench/run.sh

ROUNDS ?= 5
bench-boot: deps guest shim-aot
	@BUILD=$(BUILD) ROUNDS=$(if $(filter command line,$(origin ROUNDS)),$(ROUNDS),10) $(ROOT)/bench/BootBench/run.sh

bench-cri: deps guest shim-aot
	@SEALPOD_SHIM_BINARY=$(SHIM_BIN) GUEST_OUT=$(GUEST_OUT) $(DOTNET) run -c Release --project $(ROOT)/bench/CriBench -- bench --rounds $(ROUNDS)

bench-pull: deps guest shim-aot snapshotter-aot
	@SEALPOD_SHIM_BINARY=$(SHIM_BIN) SEALPOD_SNAPSHOTTER_BINARY=$(SNAPSHOTTER_BIN) GUEST_OUT=$(GUEST_OUT) $(DOTNET) run -c Release --project $(ROOT)/bench/CriBench -- pull --rounds $(ROUNDS)

PODS ?= 2
SOAK_ROUNDS ?= 3
soak: deps guest shim-aot
	@SEALPOD_SHIM_BINARY=$(SHIM_BIN) GUEST_OUT=$(GUEST_OUT) $(DOTNET) run -c Release --project $(ROOT)/bench/CriBench -- soak --pods $(PODS) --rounds $(SOAK_ROUNDS)
