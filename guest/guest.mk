# Guest image: kernel and initrd for the pod VM, built from Debian packages.
# Included by the top-level Makefile (`include guest/guest.mk`).
#
# Targets
#   guest         $(GUEST_OUT)/vmlinuz (Sealpod's kernel, built from Debian's
#                 linux-source-6.1 and kernel/sealpod.config), $(GUEST_OUT)/vmlinux (the
#                 same uncompressed, for PVH boot), $(GUEST_OUT)/vmlinuz-cloud
#                 (the Debian cloud kernel), $(GUEST_OUT)/initrd.img, which boots
#                 with either, and $(GUEST_OUT)/rootfs.img, the same root file
#                 system as an erofs root disk image (partition 1 of an MBR
#                 disk, as Kata's images; Sealpod's kernel only: the cloud
#                 kernel's virtio-blk and erofs are modules) (cached: does
#                 nothing when no input changed)
#   guest-kernel  only Sealpod's kernel (vmlinuz and vmlinux)
#   guest-tools   apt-get installs the build and boot tools that are missing
#   guest-smoke   boots the image under QEMU and checks the guest (boot-smoke.sh)
#   guest-clean   removes $(GUEST_OUT)
#
# Variables (override on the command line or before the include)
#   AGENT_BIN          agent binary installed as /sbin/sealpod-agent
#   GUEST_NO_AGENT=1   build without agent: /init prints "sealpod-guest: no agent"
#                      and powers off
#   GUEST_AGENT_BUILD  target that builds AGENT_BIN, run before it is copied
#   GUEST_EXTRA_LIBS   sonames loaded with dlopen to copy from the guest
#                      packages, with their dependencies (default libssl.so.3:
#                      the agent's TLS for in-guest image pulls)
#   GUEST_EXTRA_CA     PEM files of CAs appended to the guest's CA bundle
#                      (/etc/ssl/certs/ca-certificates.crt): part of the
#                      measured image, trusted for every registry
#   GUEST_COMPRESS     initrd compression: none (default: under TCG the
#                      kernel's decompression is emulated and cost more boot
#                      time than the bytes it saved), lz4, gzip, zstd, xz
#   GUEST_KERNEL_META  kernel metapackage resolved to the real kernel package
#   GUEST_KERNEL_PKG   kernel package (name or name=version), skips the look-up
#   GUEST_KERNEL_SOURCE  kernel source tarball (Debian's linux-source-6.1)
#   GUEST_KERNEL_JOBS  parallel jobs of the kernel build (default: the CPUs)
#   SOURCE_DATE_EPOCH  mtime of every file in the initrd and the image (default 0)

GUEST_SRC := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))

BUILD_DIR ?= build
GUEST_OUT ?= $(BUILD_DIR)/guest
AGENT_BIN ?= $(BUILD_DIR)/agent/sealpod-agent
GUEST_NO_AGENT ?=
GUEST_AGENT_BUILD ?=
GUEST_EXTRA_LIBS ?= libssl.so.3
GUEST_EXTRA_CA ?=
GUEST_COMPRESS ?= none
GUEST_KERNEL_META ?= linux-image-cloud-amd64
GUEST_KERNEL_PKG ?=
GUEST_EPOCH := $(or $(SOURCE_DATE_EPOCH),0)
GUEST_KERNEL_SOURCE_PKG := linux-source-6.1
GUEST_KERNEL_SOURCE ?= /usr/src/$(GUEST_KERNEL_SOURCE_PKG).tar.xz
GUEST_KERNEL_JOBS ?=

# Packages the build needs, and those the smoke test and the VM runtime add.
GUEST_BUILD_TOOLS := cpio kmod $(filter-out gzip none,$(GUEST_COMPRESS:xz=xz-utils)) \
	$(GUEST_KERNEL_SOURCE_PKG) make gcc bc flex bison libelf-dev libssl-dev xz-utils patch erofs-utils
GUEST_TOOLS := $(GUEST_BUILD_TOOLS) qemu-system-x86 ovmf

GUEST_WITH_AGENT := $(if $(filter 1 yes true,$(GUEST_NO_AGENT)),,1)
GUEST_STAGED_AGENT := $(GUEST_OUT)/staged/sealpod-agent

GUEST_SCRIPTS := $(GUEST_SRC)/scripts

.PHONY: guest guest-kernel guest-tools guest-build-tools guest-smoke guest-clean guest-always

guest: $(GUEST_OUT)/vmlinuz $(GUEST_OUT)/vmlinux $(GUEST_OUT)/vmlinuz-cloud $(GUEST_OUT)/initrd.img $(GUEST_OUT)/rootfs.img
guest-kernel: $(GUEST_OUT)/vmlinuz $(GUEST_OUT)/vmlinux

guest-tools:
	@$(GUEST_SCRIPTS)/install-tools.sh $(GUEST_TOOLS)

guest-build-tools:
	@$(GUEST_SCRIPTS)/install-tools.sh $(GUEST_BUILD_TOOLS)

# Settings that change the output are kept in stamp files rewritten only when
# their text changes, so that changing a variable rebuilds what it affects.
$(GUEST_OUT)/debs.config: guest-always
	@mkdir -p $(@D)
	@echo 'meta=$(GUEST_KERNEL_META) kernel=$(GUEST_KERNEL_PKG)' | cmp -s - $@ || \
		echo 'meta=$(GUEST_KERNEL_META) kernel=$(GUEST_KERNEL_PKG)' > $@

GUEST_INITRD_CONFIG = compress=$(GUEST_COMPRESS) epoch=$(GUEST_EPOCH) agent=$(GUEST_WITH_AGENT) \
	extra-libs=$(GUEST_EXTRA_LIBS) extra-ca=$(GUEST_EXTRA_CA)
$(GUEST_OUT)/initrd.config: guest-always
	@mkdir -p $(@D)
	@echo '$(GUEST_INITRD_CONFIG)' | cmp -s - $@ || echo '$(GUEST_INITRD_CONFIG)' > $@

$(GUEST_OUT)/debs/manifest.txt: $(GUEST_SRC)/packages.list $(GUEST_OUT)/debs.config \
		$(GUEST_SCRIPTS)/fetch-debs.sh | guest-build-tools
	@$(GUEST_SCRIPTS)/fetch-debs.sh $(GUEST_OUT)/debs $(GUEST_SRC)/packages.list \
		$(GUEST_KERNEL_META) $(GUEST_KERNEL_PKG)

# Sealpod's kernel is cached under its identity: the configuration fragment,
# the build script and the source package's version. A kernel built before for
# the same identity is reused (switching a change back costs nothing); a new
# identity rebuilds in the same object tree (only what changed is compiled).
GUEST_KERNEL_CONFIG := $(GUEST_SRC)/kernel/sealpod.config
# Patches carried over Debian's source, applied in name order.
GUEST_KERNEL_PATCHES := $(sort $(wildcard $(GUEST_SRC)/kernel/patches/*.patch))
GUEST_KERNEL_ID := $(shell { cat $(GUEST_KERNEL_CONFIG) $(GUEST_KERNEL_PATCHES) $(GUEST_SCRIPTS)/build-kernel.sh; \
	dpkg-query -W -f='$${Version}' $(GUEST_KERNEL_SOURCE_PKG) 2>/dev/null; } | sha256sum | cut -c1-16)
GUEST_KERNEL_CACHED := $(GUEST_OUT)/sealpod-kernel/vmlinuz-$(GUEST_KERNEL_ID)

$(GUEST_KERNEL_CACHED): | guest-build-tools
	@mkdir -p $(@D)
	@KERNEL_JOBS=$(GUEST_KERNEL_JOBS) $(GUEST_SCRIPTS)/build-kernel.sh $(GUEST_KERNEL_SOURCE) $(abspath $(GUEST_KERNEL_CONFIG)) \
		$(GUEST_OUT)/sealpod-kernel/work $@ $(abspath $(GUEST_KERNEL_PATCHES))

$(GUEST_OUT)/vmlinuz: $(GUEST_KERNEL_CACHED)
	@cp $<.release $(GUEST_OUT)/kernel.release
	@cp $< $@.tmp && mv $@.tmp $@
	@echo "guest: $@ is Sealpod's kernel $(GUEST_KERNEL_ID)"

# The same kernel uncompressed, for QEMU's direct PVH boot (no firmware).
$(GUEST_OUT)/vmlinux: $(GUEST_KERNEL_CACHED)
	@cp $<.vmlinux $@.tmp && mv $@.tmp $@

$(GUEST_OUT)/vmlinuz-cloud: $(GUEST_OUT)/debs/manifest.txt $(GUEST_SCRIPTS)/unpack-kernel.sh | guest-build-tools
	@echo "guest: unpacking kernel $$(cat $(GUEST_OUT)/debs/kernel.deb.name)"
	@$(GUEST_SCRIPTS)/unpack-kernel.sh $(GUEST_OUT)/debs/$$(cat $(GUEST_OUT)/debs/kernel.deb.name) \
		$(GUEST_OUT)/kernel $(GUEST_OUT)

$(GUEST_OUT)/sysroot/.unpacked: $(GUEST_OUT)/debs/manifest.txt $(GUEST_SCRIPTS)/unpack-sysroot.sh
	@$(GUEST_SCRIPTS)/unpack-sysroot.sh $(GUEST_OUT)/debs $(GUEST_OUT)/sysroot
	@touch $@

# The agent is copied only when its content changed, so a rebuilt but
# identical agent does not rebuild the initrd.
$(GUEST_STAGED_AGENT): guest-always | $(GUEST_AGENT_BUILD)
	@if [ ! -f "$(AGENT_BIN)" ]; then \
		echo "guest: agent binary $(AGENT_BIN) not found: build the agent first, set AGENT_BIN=PATH," \
			"or run 'make guest GUEST_NO_AGENT=1' for an image without agent" >&2; \
		exit 1; \
	fi
	@mkdir -p $(@D)
	@cmp -s "$(AGENT_BIN)" $@ || cp "$(AGENT_BIN)" $@

$(GUEST_OUT)/initrd.img: $(GUEST_OUT)/vmlinuz-cloud $(GUEST_OUT)/sysroot/.unpacked $(GUEST_OUT)/initrd.config \
		$(GUEST_SRC)/init $(GUEST_SRC)/modules.list $(GUEST_SCRIPTS)/build-initrd.sh $(GUEST_SRC)/pause/pause.c \
		$(GUEST_EXTRA_CA) $(if $(GUEST_WITH_AGENT),$(GUEST_STAGED_AGENT)) | guest-build-tools
	@echo "guest: building initrd ($(GUEST_COMPRESS), $(if $(GUEST_WITH_AGENT),agent $(AGENT_BIN),no agent))"
	@$(GUEST_SCRIPTS)/build-initrd.sh --output $@ --kernel-dir $(GUEST_OUT)/kernel \
		--sysroot $(GUEST_OUT)/sysroot --modules-list $(GUEST_SRC)/modules.list \
		--init $(GUEST_SRC)/init --manifest $(GUEST_OUT)/debs/manifest.txt \
		--compress $(GUEST_COMPRESS) --epoch $(GUEST_EPOCH) \
		$(if $(GUEST_WITH_AGENT),--agent $(GUEST_STAGED_AGENT)) \
		$(foreach lib,$(GUEST_EXTRA_LIBS),--extra-lib $(lib)) \
		$(foreach ca,$(GUEST_EXTRA_CA),--extra-ca $(ca))
	@echo "guest: $@ $$(stat -c %s $@) bytes, modules for kernel $$(cat $(GUEST_OUT)/kernel-cloud.release)"

# The initrd's tree (build-initrd.sh leaves it beside the initrd) as the root disk image: rebuilt with the initrd.
$(GUEST_OUT)/rootfs.img: $(GUEST_OUT)/initrd.img $(GUEST_SCRIPTS)/build-rootfs-image.sh | guest-build-tools
	@$(GUEST_SCRIPTS)/build-rootfs-image.sh --tree $(GUEST_OUT)/initrd.img.rootfs --output $@ --epoch $(GUEST_EPOCH)
	@echo "guest: $@ $$(stat -c %s $@) bytes (erofs root disk image)"

# The full check with the agent exec'd as PID 1 (as in production) with each
# kernel, then a short boot with /init supervising the agent.
guest-smoke: guest | guest-tools
	@$(GUEST_SRC)/boot-smoke.sh --kernel $(GUEST_OUT)/vmlinuz --initrd $(GUEST_OUT)/initrd.img
	@$(GUEST_SRC)/boot-smoke.sh --kernel $(GUEST_OUT)/vmlinuz-cloud --initrd $(GUEST_OUT)/initrd.img
	@$(GUEST_SRC)/boot-smoke.sh --kernel $(GUEST_OUT)/vmlinuz --initrd $(GUEST_OUT)/initrd.img \
		--mode boot --agent-as-child

guest-clean:
	rm -rf $(GUEST_OUT)
