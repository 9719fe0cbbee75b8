#!/usr/bin/env bash
# Publishes containerd-shim-sealpod-v2 as a NativeAOT binary into build/shim. Intermediate files go to build/aot,
# not to the projects' obj/, because a restore for linux-x64 with PublishAot there would disturb builds of the
# whole solution.
set -euo pipefail
. "$(dirname "$0")/containerd-env.sh"
mkdir -p "$SHIM_DIR"
dotnet publish "$ROOT/src/Shim/Sealpod.Shim.csproj" -c Release -r linux-x64 \
  -p:PublishAot=true --artifacts-path "$BUILD/aot" -o "$SHIM_DIR.tmp" \
  --nologo -v:q -clp:NoSummary
install -m 0755 "$SHIM_DIR.tmp/containerd-shim-sealpod-v2" "$SHIM_DIR/containerd-shim-sealpod-v2"
rm -rf "$SHIM_DIR.tmp"
echo "$SHIM_DIR/containerd-shim-sealpod-v2 ($(stat -c %s "$SHIM_DIR/containerd-shim-sealpod-v2") bytes)"
