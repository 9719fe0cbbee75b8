#!/usr/bin/env bash
# Stops the private containerd and leaves nothing behind: its tasks are killed and deleted first (so the
# shims stop their VMs and unmount), then containerd is stopped, and sweep.sh removes whatever is still
# running or mounted under its directory, the shim sockets it used, and the directory.
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

# Anything still running from this instance (its shims, their VMs), its mounts and its shim sockets, then the directory.
"$(dirname "$0")/sweep.sh" "$CTRD_DIR" >/dev/null
exit 0
