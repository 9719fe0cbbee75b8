#!/usr/bin/env bash
# Starts a private containerd (Debian's 1.6) with its own root, state, socket and config under the build
# folder, the Sealpod shim first on its PATH. Idempotent: a running private instance is left as it is.
set -euo pipefail
. "$(dirname "$0")/containerd-env.sh"

if [ -S "$CTRD_SOCK" ] && ctr --address "$CTRD_SOCK" version >/dev/null 2>&1; then
  exit 0
fi
command -v containerd >/dev/null || { echo "containerd-up: containerd is not installed (make deps)" >&2; exit 1; }
[ -x "$SHIM_DIR/containerd-shim-sealpod-v2" ] || { echo "containerd-up: $SHIM_DIR/containerd-shim-sealpod-v2 is missing" >&2; exit 1; }

mkdir -p "$CTRD_DIR" "$SHIM_RUN_DIR" "$SHIM_STATE_DIR" "$CTRD_DIR/fifo"
touch "$CTRD_DIR/.sealpod-scratch" # containerd-down.sh may sweep it
cat > "$CTRD_DIR/config.toml" <<TOML
# Private containerd for Sealpod's demo and tests (written by scripts/shim/containerd-up.sh).
version = 2
root = "$CTRD_DIR/root"
state = "$CTRD_DIR/state"
oom_score = 0
# What ctr needs is the content store, the overlayfs snapshotter and the v2 runtime; the rest only costs start-up time.
disabled_plugins = [
  "io.containerd.grpc.v1.cri",
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp",
  "io.containerd.internal.v1.tracing",
]

[grpc]
  address = "$CTRD_SOCK"

[ttrpc]
  address = "$CTRD_SOCK.ttrpc"

[debug]
  level = "${CTRD_LOG_LEVEL:-info}"

[metrics]
  address = ""

[plugins]
  # Used when CRI is enabled: this machine refuses negative oom_score_adj writes (EIO).
  [plugins."io.containerd.grpc.v1.cri"]
    restrict_oom_score_adj = true
TOML

PATH="$SHIM_DIR:$PATH" SEALPOD_RUN_DIR="$SHIM_RUN_DIR" SEALPOD_STATE_DIR="$SHIM_STATE_DIR" \
  setsid containerd --config "$CTRD_DIR/config.toml" </dev/null >"$CTRD_DIR/containerd.log" 2>&1 &
echo $! > "$CTRD_DIR/containerd.pid"

for _ in $(seq 1 200); do
  if [ -S "$CTRD_SOCK" ] && ctr --address "$CTRD_SOCK" version >/dev/null 2>&1; then
    exit 0
  fi
  if ! kill -0 "$(cat "$CTRD_DIR/containerd.pid")" 2>/dev/null; then
    echo "containerd-up: containerd exited; its log:" >&2
    tail -n 30 "$CTRD_DIR/containerd.log" >&2
    exit 1
  fi
  sleep 0.1
done
echo "containerd-up: containerd did not answer on $CTRD_SOCK within 20 s" >&2
exit 1
