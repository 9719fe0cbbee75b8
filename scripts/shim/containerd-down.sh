#!/usr/bin/env bash
# Stops the private containerd and leaves nothing behind: its tasks are killed and deleted first (so the
# shims stop their VMs and unmount), then containerd is stopped, stray processes it started (shims, QEMU)
# are killed by pid, mounts under its directory are unmounted and the directory is removed.
set -uo pipefail
. "$(dirname "$0")/containerd-env.sh"

if [ -S "$CTRD_SOCK" ] && ctr --address "$CTRD_SOCK" version >/dev/null 2>&1; then
  for ns in $(ctr --address "$CTRD_SOCK" namespaces ls -q 2>/dev/null); do
    for task in $(ctr --address "$CTRD_SOCK" -n "$ns" tasks ls -q 2>/dev/null); do
      ctr --address "$CTRD_SOCK" -n "$ns" tasks kill -s SIGKILL "$task" >/dev/null 2>&1
      for _ in $(seq 1 50); do
        ctr --address "$CTRD_SOCK" -n "$ns" tasks delete "$task" >/dev/null 2>&1 && break
        sleep 0.1
      done
    done
    for container in $(ctr --address "$CTRD_SOCK" -n "$ns" containers ls -q 2>/dev/null); do
      ctr --address "$CTRD_SOCK" -n "$ns" containers delete "$container" >/dev/null 2>&1
    done
  done
fi

if [ -f "$CTRD_DIR/containerd.pid" ]; then
  pid=$(cat "$CTRD_DIR/containerd.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
fi

# Anything still running from this instance (its shims, their VMs) names the directory on its command line
# or runs the shim binary from the build folder: end those processes by pid.
for proc in /proc/[0-9]*; do
  pid=${proc#/proc/}
  cmd=$({ tr '\0' ' ' < "$proc/cmdline"; } 2>/dev/null) || continue
  case "$cmd" in
    *"$CTRD_DIR"*|*"$SHIM_DIR/containerd-shim-sealpod-v2"*) [ "$pid" != "$$" ] && kill -KILL "$pid" 2>/dev/null ;;
  esac
done

# Mounts (snapshots, bundles' rootfs) under the directory, deepest first.
grep -o " $CTRD_DIR[^ ]*" /proc/self/mountinfo 2>/dev/null | sort -r | while read -r mount; do
  umount -l "$mount" 2>/dev/null
done

# Shim sockets of this instance in containerd's shared socket directory (the address file of each bundle says which).
find "$CTRD_DIR/state" -name address 2>/dev/null | while read -r file; do
  socket=$(sed 's#^unix://##' "$file")
  [ -S "$socket" ] && rm -f "$socket"
done

rm -rf "$CTRD_DIR"
exit 0
