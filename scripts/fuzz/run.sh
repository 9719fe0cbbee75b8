#!/usr/bin/env bash
# make fuzz: every fuzz target (or FUZZ_TARGETS) under AFL++ for FUZZ_SECONDS each, one after the other.
#
# SharpFuzz instruments assemblies in place, so the fuzz build is copied to $out/instrumented and only those copies
# are instrumented: the product's outputs (src/*/bin, the NativeAOT binaries) and the fuzz project's own bin (which
# Sealpod.Fuzz.Tests replays the corpus with) are never touched. Findings land in $out/findings/TARGET (AFL's own
# layout); a crash is copied to $out/crashes/TARGET/ and fails the run. One line per target is appended to
# $out/summary.tsv: target, seconds, executions, paths found, crashes, hangs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${FUZZ_OUT:-$root/build/fuzz}
seconds=${FUZZ_SECONDS:-60}
tools=$out/tools
cd "$root"

dotnet build fuzz/Sealpod.Fuzz -c Release --nologo -v:q -clp:NoSummary
built=fuzz/Sealpod.Fuzz/bin/Release/net10.0
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null
fi

rm -rf "$out/instrumented"
mkdir -p "$out/instrumented" "$out/findings" "$out/crashes"
cp -a "$built/." "$out/instrumented/"
# Our parsers, plus the two third-party parsers they stand on (protobuf, TOML) so coverage guides through them too.
for dll in "$out"/instrumented/Sealpod.*.dll "$out/instrumented/sealpod-agent.dll" "$out/instrumented/Google.Protobuf.dll" "$out/instrumented/Tomlyn.dll"; do
  case "$(basename "$dll")" in Sealpod.Fuzz.dll) continue ;; esac
  "$tools/sharpfuzz" "$dll" >/dev/null
done

targets=${FUZZ_TARGETS:-$(dotnet "$built/Sealpod.Fuzz.dll" list | awk '{print $1}')}
summary=$out/summary.tsv
[ -f "$summary" ] || printf 'target\tseconds\texecutions\tpaths\tcrashes\thangs\n' > "$summary"
failed=0
for target in $targets; do
  findings=$out/findings/$target
  echo "=== $target: ${seconds} s"
  # dotnet itself is not instrumented (SharpFuzz reports coverage from the managed code): AFL_SKIP_BIN_CHECK.
  # core_pattern is the host's business, not ours to change: AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES.
  # On a loaded machine AFL's dry run sometimes sees no coverage from the first (JIT-heavy) execution and gives up
  # ("No instrumentation detected"): a second start finds it.
  ok=0
  for attempt in 1 2 3; do
    rm -rf "$findings"
    if AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 \
      nice -n 10 afl-fuzz -i "fuzz/corpus/$target" -o "$findings" -V "$seconds" -t 20000 -m none \
        -- dotnet "$out/instrumented/Sealpod.Fuzz.dll" afl "$target" > "$out/$target.log" 2>&1; then
      ok=1; break
    fi
    grep -q "No instrumentation detected" "$out/$target.log" || break
  done
  if [ $ok -eq 0 ]; then
    echo "afl-fuzz failed for $target; the last lines of $out/$target.log:"; tail -20 "$out/$target.log"; failed=1; continue
  fi
  stats=$findings/default/fuzzer_stats
  value() { awk -F' *: *' -v k="$1" '$1 == k {print $2}' "$stats"; }
  crashes=$(value saved_crashes); hangs=$(value saved_hangs)
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$(value run_time)" "$(value execs_done)" "$(value corpus_count)" "$crashes" "$hangs" | tee -a "$summary"
  if [ "${crashes:-0}" -gt 0 ]; then
    mkdir -p "$out/crashes/$target"
    cp "$findings"/default/crashes/id:* "$out/crashes/$target/"
    echo "$target: $crashes crash(es) saved in $out/crashes/$target; replay one with:"
    echo "  dotnet $built/Sealpod.Fuzz.dll replay $target $out/crashes/$target"
    failed=1
  fi
done
exit $failed
