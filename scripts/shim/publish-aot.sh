#!/usr/bin/env bash
# publish-aot.sh PROJECT BINARY OUTDIR: publishes one of Sealpod's host programs (the shim, sealpod-snapshotter) as a
# NativeAOT binary into OUTDIR. Intermediate files go to build/aot, not to the projects' obj/, because a restore for
# linux-x64 with PublishAot there would disturb builds of the whole solution.
set -euo pipefail
. "$(dirname "$0")/containerd-env.sh"
project=$1 binary=$2 out=$3
mkdir -p "$out"
dotnet publish "$ROOT/$project" -c Release -r linux-x64 \
  -p:PublishAot=true --artifacts-path "$BUILD/aot" -o "$out.tmp" \
  --nologo -v:q -clp:NoSummary
install -m 0755 "$out.tmp/$binary" "$out/$binary"
rm -rf "$out.tmp"
echo "$out/$binary ($(stat -c %s "$out/$binary") bytes)"
