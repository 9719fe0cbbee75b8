#!/usr/bin/env bash
# Publishes containerd-shim-sealpod-v2 as a NativeAOT binary into build/shim.
set -euo pipefail
. "$(dirname "$0")/containerd-env.sh"
exec "$(dirname "$0")/publish-aot.sh" src/Shim/Sealpod.Shim.csproj containerd-shim-sealpod-v2 "$SHIM_DIR"
