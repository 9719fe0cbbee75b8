# Shim targets, included by the top-level Makefile (`include tests/integration/run.mk`), which defines
# ROOT, BUILD, DOTNET and the `deps` and `guest` targets.
#
#   shim-aot     the NativeAOT shim, build/shim/containerd-shim-sealpod-v2 (rebuilt when a source changes)
#   run          the Kubernetes path: a pod through containerd's CRI (sealpod handler) serving HTTP, fetched at its pod IP
#                (bench/CriBench demo: guest kernel, pod IP, page); leaves nothing behind
#   run-ctr      `ctr run ... uname -r` in a VM through a private containerd 1.6, timed; leaves nothing behind
#   install      the shim to /usr/local/bin, configs to /usr/share/defaults/sealpod, guest to /usr/share/sealpod
#   shim-bench   bench/ShimBench: ctr run vs runc, shim memory per sandbox, the shim's own time per start
#   bench-boot   bench/BootBench: QEMU start to agent ready and ctr run, Sealpod's kernel vs the cloud kernel (ROUNDS=10)
#   bench-cri    bench/CriBench: RunPodSandbox to the first HTTP byte from the pod IP, runc vs sealpod (ROUNDS=5)
#   soak         bench/CriBench soak: PODS pods at once through CRI, exercised (exec, log, HTTP) and removed, SOAK_ROUNDS
#                rounds; fails on any leftover (process, tap, tc filter, cgroup, mount, socket, FIFO, file). Not in make test.
#
# The integration tests (tests/integration) use the binary SEALPOD_SHIM_BINARY names, else the
# framework-dependent build; `make test` should export SEALPOD_SHIM_BINARY=$(SHIM_BIN) after shim-aot.

SHIM_BIN     := $(BUILD)/shim/containerd-shim-sealpod-v2
SHIM_SOURCES := $(shell find $(ROOT)/src/Shim $(ROOT)/src/Runtime $(ROOT)/src/Linux $(ROOT)/src/Rpc $(ROOT)/src/Protos $(ROOT)/src/Config \
                  $(ROOT)/src/Vmm $(ROOT)/src/AgentClient $(ROOT)/src/Tee $(ROOT)/src/Contract $(ROOT)/src/InitData $(ROOT)/src/Toml \
                  \( -name bin -o -name obj \) -prune -o \( -name '*.cs' -o -name '*.csproj' -o -name '*.proto' \) -print 2>/dev/null)

.PHONY: shim-aot run run-ctr install shim-bench bench-cri bench-boot soak

shim-aot: $(SHIM_BIN)
$(SHIM_BIN): $(SHIM_SOURCES) $(ROOT)/scripts/shim/publish-shim.sh
	@BUILD=$(BUILD) $(ROOT)/scripts/shim/publish-shim.sh

run: deps guest shim-aot
	@SEALPOD_SHIM_BINARY=$(SHIM_BIN) GUEST_OUT=$(GUEST_OUT) $(DOTNET) run -c Release --project $(ROOT)/bench/CriBench -- demo

run-ctr: deps guest shim-aot
	@BUILD=$(BUILD) $(ROOT)/scripts/shim/run-demo.sh

install: guest shim-aot
	@BUILD=$(BUILD) $(ROOT)/scripts/shim/install.sh

shim-bench: deps guest shim-aot
	@BUILD=$(BUILD) $(ROOT)/bench/ShimBench/run.sh

ROUNDS ?= 5
bench-boot: deps guest shim-aot
	@BUILD=$(BUILD) ROUNDS=$(if $(filter command line,$(origin ROUNDS)),$(ROUNDS),10) $(ROOT)/bench/BootBench/run.sh

bench-cri: deps guest shim-aot
	@SEALPOD_SHIM_BINARY=$(SHIM_BIN) GUEST_OUT=$(GUEST_OUT) $(DOTNET) run -c Release --project $(ROOT)/bench/CriBench -- bench --rounds $(ROUNDS)

PODS ?= 2
SOAK_ROUNDS ?= 3
soak: deps guest shim-aot
	@SEALPOD_SHIM_BINARY=$(SHIM_BIN) GUEST_OUT=$(GUEST_OUT) $(DOTNET) run -c Release --project $(ROOT)/bench/CriBench -- soak --pods $(PODS) --rounds $(SOAK_ROUNDS)
