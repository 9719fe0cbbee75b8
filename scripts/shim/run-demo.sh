#!/usr/bin/env bash
# `make run`: runs `uname -r` in a busybox container in a VM through a private containerd 1.6 and the
# Sealpod shim, shows the guest kernel's release next to the host's and how long the run took, then stops
# containerd and removes everything it created. Expects the shim (publish-shim.sh) and the guest (make guest).
set -euo pipefail
. "$(dirname "$0")/containerd-env.sh"

"$(dirname "$0")/stage-config.sh" >/dev/null
image=$BUILD/busybox-oci.tar
[ -f "$image" ] || "$(dirname "$0")/busybox-image.sh" "$image" >/dev/null

trap '"$(dirname "$0")/containerd-down.sh"' EXIT
"$(dirname "$0")/containerd-up.sh"
ctr_ images import "$image" >/dev/null

echo "host kernel:  $(uname -r)"
start=$(date +%s%N)
guest=$(ctr_ run --rm --fifo-dir "$CTRD_DIR/fifo" --runtime io.containerd.sealpod.v2 --runtime-config-path "$SEALPOD_CONFIG" \
  docker.io/library/busybox:latest demo uname -r)
end=$(date +%s%N)
echo "guest kernel: $guest"
printf 'ctr run --rm ... uname -r took %d ms (VM boot included)\n' $(( (end - start) / 1000000 ))
if grep -q "timing create demo" "$CTRD_DIR/containerd.log"; then
  echo "shim timings (from its log):"
  grep -o 'timing [a-z]* demo[^"]*' "$CTRD_DIR/containerd.log" | sed 's/^/  /'
fi
[ "$guest" != "$(uname -r)" ] || { echo "run-demo: the container reported the host's kernel: it did not run in the VM" >&2; exit 1; }
