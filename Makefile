# Sealpod: build, test and run a container in a VM through containerd.
# Everything the targets need is installed by the targets themselves (`make deps`), so a fresh
# Debian 12 machine needs only `make run` and `make test`.

SHELL      := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
ROOT       := $(abspath .)
BUILD      := $(ROOT)/build
CONFIG     ?= Release
DOTNET     ?= dotnet
DOTNET_FLAGS := -c $(CONFIG) --nologo -v:q -clp:NoSummary
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

# Debian packages the build, the tests and `make run` use.
DEB_PACKAGES := containerd runc qemu-system-x86 qemu-utils ovmf busybox-static erofs-utils cpio kmod \
	golang-go golang-github-containerd-ttrpc-dev golang-github-containerd-containerd-dev \
	golang-google-grpc-dev golang-google-protobuf-dev e2fsprogs util-linux iproute2 lz4 \
	gcc libc6-dev containernetworking-plugins iptables docker-registry skopeo python3 \
	linux-source-6.1 bc flex bison libelf-dev libssl-dev afl++ fuse3 patch

.PHONY: all deps build agent dev-config test test-unit bench bench-ttrpc fuzz clean help
all: build

help:
	@echo "make deps    install the Debian packages Sealpod builds and tests with"
	@echo "make build   build every project (Runtime.sln)"
	@echo "make test    unit, conformance, interop and integration tests"
	@echo "make test-unit  the tests that neither boot QEMU nor need root (Category!=Vm, Category!=Root)"
	@echo "make run     a pod through containerd's CRI in a VM, reached over HTTP at its pod IP"
	@echo "make run-ctr run a container in a VM through a private containerd (ctr)"
	@echo "make guest   build the guest kernel + initrd under build/guest"
	@echo "make bench   run the benchmarks (bench/)"
	@echo "make bench-cri  RunPodSandbox to first HTTP byte, runc vs sealpod (ROUNDS=5)"
	@echo "make soak    PODS pods at once through CRI for SOAK_ROUNDS rounds; fails on any leftover (not in make test)"
	@echo "make fuzz    every parser of untrusted bytes under AFL++ (FUZZ_SECONDS=60 each, FUZZ_TARGETS=all)"

# Installs only what is missing; `apt-get update` runs once, and only when something is missing.
deps: $(BUILD)/.deps-stamp
$(BUILD)/.deps-stamp: Makefile
	@mkdir -p $(BUILD)
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@touch $@

build:
	$(DOTNET) build Runtime.sln $(DOTNET_FLAGS)

# The guest agent: a NativeAOT binary.
AGENT_SOURCES := $(shell find src/Agent src/Linux src/Rpc src/Protos src/Contract src/InitData src/Toml -name '*.cs' -o -name '*.proto' -o -name '*.csproj' 2>/dev/null | grep -v '/obj/' | grep -v '/bin/')
agent: $(BUILD)/agent/sealpod-agent
$(BUILD)/agent/sealpod-agent: $(AGENT_SOURCES)
	$(DOTNET) publish src/Agent/Sealpod.Agent.csproj -c Release -r linux-x64 --nologo -v:q -o $(BUILD)/agent
	@touch $@

# The default configuration with only its guest paths pointed at this build (build/share/sealpod links to
# build/guest) instead of the installed ones (make install puts vmlinuz and sealpod-initrd.img under
# /usr/share/sealpod). make run, the shim's integration tests and the VM tests all use the shipped settings.
DEV_CONFIG := $(BUILD)/configuration-qemu-coco-dev.toml
dev-config: $(DEV_CONFIG)
$(DEV_CONFIG): configs/configuration-qemu-coco-dev.toml scripts/shim/stage-config.sh | guest
	@BUILD=$(BUILD) $(ROOT)/scripts/shim/stage-config.sh >/dev/null

GUEST_OUT := $(BUILD)/guest
AGENT_BIN := $(BUILD)/agent/sealpod-agent
BUILD_DIR := $(BUILD)
GUEST_AGENT_BUILD := $(BUILD)/agent/sealpod-agent
include guest/guest.mk

# Every test project in the solution, then a one-line total that CI reads. The shim's integration tests
# (tests/integration) run the NativeAOT shim, the product `make install` ships, against the guest just built.
test: deps build guest dev-config shim-aot
	@SEALPOD_AGENT_BINARY=$(BUILD)/agent/sealpod-agent SEALPOD_SHIM_BINARY=$(SHIM_BIN) GUEST_OUT=$(GUEST_OUT) \
	  $(ROOT)/scripts/run-tests.sh $(CONFIG)

# The tests that need neither a VM nor root: traits [Trait("Category", "Vm")] and [Trait("Category", "Root")]
# (Sealpod.TestSupport.TestCategories) mark the others. Quick, and no guest build needed.
test-unit: build
	$(DOTNET) test Runtime.sln -c $(CONFIG) --no-build --nologo --filter "Category!=Vm&Category!=Root"

# Benchmarks; figures and how to read them are in README.md.
bench: bench-ttrpc shim-bench
bench-ttrpc: deps
	$(DOTNET) run -c Release --project bench/TtrpcBench -- --rounds 3

# Fuzzing (not part of make test; Sealpod.Fuzz.Tests replays the corpus there): each target under AFL++ through
# SharpFuzz for FUZZ_SECONDS, one at a time; fails on a crash and keeps it under build/fuzz/crashes. README: Fuzzing.
FUZZ_SECONDS ?= 60
fuzz: deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_OUT=$(BUILD)/fuzz $(ROOT)/scripts/fuzz/run.sh

# make run, make install, the NativeAOT shim and the shim benchmark.
include tests/integration/run.mk

clean:
	rm -rf $(BUILD)
	find . -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +
