#!/usr/bin/env bash
# Publishes sealpod-snapshotter (src/Snapshotter) as a NativeAOT binary into build/snapshotter, as the shim is.
set -euo pipefail
. "$(dirname "$0")/containerd-env.sh"
exec "$(dirname "$0")/publish-aot.sh" src/Snapshotter/Sealpod.Snapshotter.csproj sealpod-snapshotter "$SNAPSHOTTER_DIR"
