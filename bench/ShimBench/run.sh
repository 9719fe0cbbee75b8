#!/usr/bin/env bash
# ShimBench: the shim's cost, measured with public tools on this machine, Sealpod next to runc.
#
#   1. `ctr run --rm ... true`, Sealpod (VM boot included) vs runc, with hyperfine (else a timed loop).
#   2. Resident memory of the shim process per sandbox, containerd-shim-sealpod-v2 vs containerd-shim-runc-v2,
#      with SANDBOXES detached containers each (VmRSS and Pss from /proc).
#   3. The shim's own time per container start, without VM boot and guest work: the `start` subcommand
#      (what containerd waits for before it can connect), plus the server's own share of Create and Start,
#      which it logs as "timing create ... shim=X ms" / "timing start ... shim=Y ms" (everything else in
#      those calls is waiting for QEMU and the guest agent, and is logged separately).
#
# Uses its own private containerd (build/bench-containerd). Results: build/bench/shimbench.md.
#   RUNS=10 SANDBOXES=3 bench/ShimBench/run.sh
set -euo pipefail
export CTRD_DIR=${CTRD_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/build/bench-containerd}
scripts=$(cd "$(dirname "$0")/../../scripts/shim" && pwd)
. "$scripts/containerd-env.sh"
RUNS=${RUNS:-10}
SANDBOXES=${SANDBOXES:-3}
out_dir=$BUILD/bench
mkdir -p "$out_dir"
report=$out_dir/shimbench.md

[ -x "$SHIM_DIR/containerd-shim-sealpod-v2" ] || "$scripts/publish-shim.sh"
"$scripts/stage-config.sh" >/dev/null
[ -f "$BUILD/busybox-oci.tar" ] || "$scripts/busybox-image.sh" "$BUILD/busybox-oci.tar" >/dev/null

trap '"$scripts/containerd-down.sh"' EXIT
"$scripts/containerd-up.sh"
ctr_ images import "$BUILD/busybox-oci.tar" >/dev/null
image=docker.io/library/busybox:latest
sealpod_run="ctr --address $CTRD_SOCK -n $CTRD_NS run --rm --null-io --runtime io.containerd.sealpod.v2 --runtime-config-path $SEALPOD_CONFIG $image bench-s true"
runc_run="ctr --address $CTRD_SOCK -n $CTRD_NS run --rm --null-io --runtime io.containerd.runc.v2 $image bench-r true"

# Warm-up: snapshot unpacking, the rootfs image cache, the accelerator verdict.
$sealpod_run >/dev/null
$runc_run >/dev/null

{
  echo "# ShimBench ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $(uname -r), containerd $(containerd --version | awk '{print $3}'))"
  echo
  echo "## 1. ctr run --rm ... true"
  echo
} > "$report"
if command -v hyperfine >/dev/null; then
  hyperfine -N -w 1 -r "$RUNS" --export-markdown "$out_dir/run.md" -n sealpod "$sealpod_run" -n runc "$runc_run" >/dev/null
  cat "$out_dir/run.md" >> "$report"
else
  for name in sealpod runc; do
    cmd=${name}_run
    start=$(date +%s%N)
    for _ in $(seq "$RUNS"); do ${!cmd} >/dev/null; done
    echo "- $name: mean $(( ($(date +%s%N) - start) / RUNS / 1000000 )) ms over $RUNS runs" >> "$report"
  done
fi

# 2. Memory per sandbox.
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
anon() { awk '/^RssAnon/ {print $2}' "/proc/$1/status"; }
pss() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup"; }
shim_pids() { # runtime binary name -> pids of this containerd's shims
  for p in /proc/[0-9]*; do
    cmd=$({ tr '\0' ' ' < "$p/cmdline"; } 2>/dev/null) || continue
    case "$cmd" in *"$1"*"$CTRD_SOCK"*) echo "${p#/proc/}" ;; esac
  done
}
for i in $(seq "$SANDBOXES"); do
  ctr_ run -d --null-io --runtime io.containerd.sealpod.v2 --runtime-config-path "$SEALPOD_CONFIG" "$image" "mem-s$i" sleep 3600 >/dev/null
  ctr_ run -d --null-io --runtime io.containerd.runc.v2 "$image" "mem-r$i" sleep 3600 >/dev/null
done
sleep 2
{
  echo
  echo "## 2. Shim memory per sandbox ($SANDBOXES sandboxes each, after start, idle)"
  echo
  echo "| shim | VmRSS KiB (mean) | RssAnon KiB (mean) | Pss KiB (mean) |"
  echo "|---|---|---|---|"
  for bin in containerd-shim-sealpod-v2 containerd-shim-runc-v2; do
    pids=$(shim_pids "$bin")
    n=$(echo "$pids" | wc -w)
    r=0; s=0; a=0
    for p in $pids; do r=$((r + $(rss "$p"))); s=$((s + $(pss "$p"))); a=$((a + $(anon "$p"))); done
    echo "| $bin ($n processes) | $((r / n)) | $((a / n)) | $((s / n)) |"
  done
  vm=$(for p in $(shim_pids containerd-shim-sealpod-v2); do cat "/proc/$p/task/$p/children" 2>/dev/null; done | head -1 | awk '{print $1}')
  [ -n "$vm" ] && echo && echo "For scale: one sandbox's QEMU (TCG, 1 GiB guest) has VmRSS $(rss "$vm") KiB."
} >> "$report"
for i in $(seq "$SANDBOXES"); do
  for id in "mem-s$i" "mem-r$i"; do
    ctr_ tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true
  done
done
for i in $(seq "$SANDBOXES"); do
  for id in "mem-s$i" "mem-r$i"; do
    for _ in $(seq 50); do ctr_ tasks rm "$id" >/dev/null 2>&1 && break; sleep 0.1; done
    ctr_ containers rm "$id" >/dev/null 2>&1 || true
  done
done

# 3. The shim's own time per container start.
work=$(mktemp -d)
mkdir -p "$work/bundle/rootfs"
echo '{"ociVersion":"1.0.2","process":{"args":["true"],"cwd":"/"},"root":{"path":"rootfs"}}' > "$work/bundle/config.json"
starts=()
pushd "$work/bundle" >/dev/null
for i in $(seq "$RUNS"); do
  # As containerd runs it: working directory the bundle, no options on stdin, output captured.
  begin=$EPOCHREALTIME
  "$SHIM_DIR/containerd-shim-sealpod-v2" -namespace bench -address "$work/fake-$i.sock" -id "start$i" start </dev/null >"$work/address"
  end=$EPOCHREALTIME
  address=$(cat "$work/address")
  starts+=("$(awk -v b="$begin" -v e="$end" 'BEGIN {printf "%d", (e - b) * 1000000}')")
  kill -KILL "$(cat shim.pid)"
  rm -f "${address#unix://}"
done
popd >/dev/null
rm -rf "$work"
# Sum of the shim= share of every Create and Start of the bench-s runs, per container.
own=$(grep -o 'timing [a-z]* bench-s [^"]*' "$CTRD_DIR/containerd.log" | sed -E 's/.*shim=([0-9.]+)ms.*/\1/' | awk '{s+=$1} END {print s+0}')
count=$(grep -c 'timing create bench-s' "$CTRD_DIR/containerd.log" || true)
{
  echo
  echo "## 3. Shim's own time per container start (VM boot and guest work excluded)"
  echo
  printf '%s\n' "${starts[@]}" | sort -n | awk -v runs="$RUNS" '{a[NR]=$1/1000; s+=$1/1000} END {
    printf "- `start` subcommand (NativeAOT process: parse, bind the socket, spawn the server): mean %.1f ms, median %.1f ms, min %.1f ms over %d runs\n", s/NR, a[int((NR+1)/2)], a[1], runs }'
  printf -- '- server, Create + Start, own share (logged): mean %.1f ms over %d containers\n' "$(awk -v o="$own" -v c="$count" 'BEGIN {print (c ? o / c : 0)}')" "$count"
  echo "- breakdown of the last create: $(grep -o 'timing create bench-s [^"]*' "$CTRD_DIR/containerd.log" | tail -1 | sed 's/timing create bench-s in sandbox bench-s: //')"
} >> "$report"
cat "$report"
