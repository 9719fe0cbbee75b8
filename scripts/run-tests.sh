#!/usr/bin/env bash
# Runs every test project of Runtime.sln (already built) and prints one closing line
# "N passed, N failed, N skipped" summed over all of them, which CI reads.
#
# Tests that start a private containerd put it under $SEALPOD_TEST_TMP, a scratch directory per project:
# after the project, scripts/shim/sweep.sh removes whatever is still running or mounted there (a test host
# killed by the hang timeout cannot clean up), and anything it finds fails the run.
set -uo pipefail
config=${1:-Release}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log=$(mktemp)
scratch=
cleanup() {
  rm -f "$log"
  [ -z "$scratch" ] || "$root/scripts/shim/sweep.sh" "$scratch" >/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM
status=0
mapfile -t projects < <(dotnet sln Runtime.sln list | grep -E '(\.Tests|IntegrationTests)\.csproj$' | sort)
for p in "${projects[@]}"; do
  echo "=== $p"
  scratch=$(mktemp -d /tmp/spt.XXXXXX)
  touch "$scratch/.sealpod-scratch"
  # A hung test is killed (its name is printed) instead of stalling CI until its time limit.
  SEALPOD_TEST_TMP=$scratch dotnet test "$p" -c "$config" --no-build --nologo --blame-hang-timeout 10m --blame-hang-dump-type none 2>&1 | tee -a "$log" || status=1
  if ! "$root/scripts/shim/sweep.sh" "$scratch"; then
    echo "$p left processes, mounts or sockets behind (removed above)"
    status=1
  fi
  scratch=
done
# dotnet test prints, per project: "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total: ..."
read -r passed failed skipped < <(grep -E 'Failed: +[0-9]+, Passed: +[0-9]+' "$log" |
  sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \1 \3/' |
  awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
# The failed tests again, last, where a CI log that keeps only its tail still shows them.
if grep -qE '^ +Failed .+ \[[^]]+\]$' "$log"; then
  echo
  echo "failed tests:"
  grep -E -A12 '^ +Failed .+ \[[^]]+\]$' "$log" | cut -c1-300
fi
echo
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$failed" -gt 0 ] || [ "$status" -ne 0 ]; then exit 1; fi
