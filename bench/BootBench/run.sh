#!/usr/bin/env bash
# BootBench: guest boot with Sealpod's kernel and with the Debian cloud kernel, in one run.
#
# Each round runs `ctr run --rm --null-io ... true` once per kernel (alternating, so a load change on the
# machine hits both alike) through a private containerd and the NativeAOT shim, and reads two figures:
#   boot   QEMU start to agent ready: the shim's vm-start + host-cgroups + agent-dial spans of that container's
#          "timing create" log line (QEMU launched and its QMP up, the VM placed in its host cgroups while the guest
#          boots, then the agent answering on its channel); shims without the host-cgroups span left that time out
#   pod    the whole `ctr run --rm ... true`, wall clock (VM boot, container start and exit, VM stop)
# and prints median, min, max and spread (max - min) per kernel and figure.
#
# Same configuration for both kernels: the staged coco-dev one (Sealpod's vmlinux, booted at its PVH entry from the
# root disk image), with `kernel` pointed at vmlinuz-cloud and the initrd in place of the image for the cloud rounds.
# Uses its own private containerd (build/bench-boot-containerd); leaves nothing behind.
#   ROUNDS=10 bench/BootBench/run.sh        (make bench-boot ROUNDS=10)
# Results: build/bench/bootbench.md; the private containerd's log (CTRD_LOG_LEVEL=debug for the shim's debug lines):
# build/bench/bootbench-containerd.log.
set -euo pipefail
export CTRD_DIR=${CTRD_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/build/bench-boot-containerd}
scripts=$(cd "$(dirname "$0")/../../scripts/shim" && pwd)
. "$scripts/containerd-env.sh"
ROUNDS=${ROUNDS:-10}
out_dir=$BUILD/bench
mkdir -p "$out_dir"
report=$out_dir/bootbench.md
samples=$out_dir/bootbench.samples

[ -x "$SHIM_DIR/containerd-shim-sealpod-v2" ] || "$scripts/publish-shim.sh"
"$scripts/stage-config.sh" >/dev/null
[ -f "$BUILD/busybox-oci.tar" ] || "$scripts/busybox-image.sh" "$BUILD/busybox-oci.tar" >/dev/null
cloud_config=$out_dir/configuration-cloud-kernel.toml
# The cloud kernel's virtio-blk and erofs are modules: it boots the initrd (which carries them) instead of the image.
sed -e "s#^kernel = \"$SEALPOD_SHARE/vmlinu[xz]\"#kernel = \"$SEALPOD_SHARE/vmlinuz-cloud\"#" \
  -e "s#^image = \"$SEALPOD_SHARE/sealpod-rootfs.img\"#initrd = \"$SEALPOD_SHARE/sealpod-initrd.img\"#" "$SEALPOD_CONFIG" > "$cloud_config"
grep -q "^kernel = \"$SEALPOD_SHARE/vmlinuz-cloud\"" "$cloud_config" ||
  { echo "bench-boot: $SEALPOD_CONFIG has no 'kernel = \"$SEALPOD_SHARE/vmlinux\"' (or vmlinuz) line to point at the cloud kernel" >&2; exit 1; }
grep -q "^initrd = \"$SEALPOD_SHARE/sealpod-initrd.img\"" "$cloud_config" ||
  { echo "bench-boot: $SEALPOD_CONFIG has no 'image = \"$SEALPOD_SHARE/sealpod-rootfs.img\"' line to replace with the initrd for the cloud kernel" >&2; exit 1; }

# The private containerd's log (the shim's timeline and QEMU steps) is kept beside the results: the down script removes its directory.
trap 'cp "$CTRD_DIR/containerd.log" "$out_dir/bootbench-containerd.log" 2>/dev/null; "$scripts/containerd-down.sh"' EXIT
"$scripts/containerd-up.sh"
ctr_ images import "$BUILD/busybox-oci.tar" >/dev/null
image=docker.io/library/busybox:latest

config_of() { if [ "$1" = sealpod ]; then echo "$SEALPOD_CONFIG"; else echo "$cloud_config"; fi; }
run_once() { # kernel id -> "pod_ms boot_ms"
  local begin end line vm dial
  begin=$EPOCHREALTIME
  ctr_ run --rm --null-io --runtime io.containerd.sealpod.v2 --runtime-config-path "$(config_of "$1")" "$image" "$2" true
  end=$EPOCHREALTIME
  line=$(grep -o "timing create $2 in sandbox $2: [^\"]*" "$CTRD_DIR/containerd.log" | tail -1)
  vm=$(sed -nE 's/.*vm-start=([0-9.]+)ms.*/\1/p' <<<"$line")
  dial=$(sed -nE 's/.*agent-dial=([0-9.]+)ms.*/\1/p' <<<"$line")
  cg=$(sed -nE 's/.*host-cgroups=([0-9.]+)ms.*/\1/p' <<<"$line")
  [ -n "$vm" ] && [ -n "$dial" ] || { echo "bench-boot: no vm-start/agent-dial timing for $2 in $CTRD_DIR/containerd.log" >&2; exit 1; }
  awk -v b="$begin" -v e="$end" -v v="$vm" -v c="${cg:-0}" -v d="$dial" 'BEGIN { printf "%.0f %.0f\n", (e - b) * 1000, v + c + d }'
}

# Warm-up: snapshot unpacking, the rootfs image cache, the accelerator verdict.
run_once sealpod warm-s >/dev/null
run_once cloud warm-c >/dev/null

: > "$samples"
for round in $(seq "$ROUNDS"); do
  for kernel in sealpod cloud; do
    read -r pod boot < <(run_once "$kernel" "boot-$kernel-$round")
    echo "$kernel $pod $boot" >> "$samples"
    echo "round $round $kernel: boot $boot ms, pod $pod ms" >&2
  done
done

stats() { # kernel column -> "median min max spread"
  awk -v k="$1" -v c="$2" '$1 == k { print $c }' "$samples" | sort -n | awk '{ a[NR] = $1 } END {
    m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
    printf "%.0f | %.0f | %.0f | %.0f", m, a[1], a[NR], a[NR] - a[1] }'
}
accel=$(grep -o 'accel=[a-z]*' "$CTRD_DIR/containerd.log" | tail -1 | cut -d= -f2)
{
  echo "# BootBench ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), accelerator ${accel:-see log}, $ROUNDS rounds)"
  echo
  echo "Kernels: sealpod = $(cat "$BUILD/guest/kernel.release" 2>/dev/null) (vmlinux $(stat -c %s "$BUILD/guest/vmlinux") bytes, vmlinuz $(stat -c %s "$BUILD/guest/vmlinuz") bytes),"
  echo "cloud = $(cat "$BUILD/guest/kernel-cloud.release" 2>/dev/null) ($(stat -c %s "$BUILD/guest/vmlinuz-cloud") bytes); root disk image $(stat -c %s "$BUILD/guest/rootfs.img") bytes (sealpod), initrd $(stat -c %s "$BUILD/guest/initrd.img") bytes (cloud)."
  echo
  echo "| kernel | figure | median ms | min ms | max ms | spread ms |"
  echo "|---|---|---|---|---|---|"
  for kernel in sealpod cloud; do
    echo "| $kernel | QEMU start to agent ready | $(stats "$kernel" 3) |"
    echo "| $kernel | ctr run --rm ... true | $(stats "$kernel" 2) |"
  done
} > "$report"
cat "$report"
