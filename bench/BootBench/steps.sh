#!/usr/bin/env bash
# Boot steps of the guest under QEMU, read from the guest console: the shim's QEMU options (q35, TCG unless
# ACCEL=kvm, -cpu max,pmu=off, 1 vCPU, 1 GiB, virtio-serial agent port, virtio-scsi, virtio-rng) without a host
# agent client, so the agent logs its ready line and keeps listening; then QEMU is stopped.
#
# usage: steps.sh KERNEL INITRD|image:IMAGE [ROUNDS] [-- EXTRA QEMU ARGS]
#   image:IMAGE  boots the root disk image (build/guest/rootfs.img) as the shim does: a read-only virtio-blk disk
#                and Kata's root parameters (root=/dev/vda1 rootflags=ro ro rootfstype=erofs) after the command line
#   APPEND=...   replaces the kernel command line (default: the shim's, as in its golden test)
#   MACHINE_OPTIONS=...  replaces the q35 options after q35 (default ",sata=off,smbus=off", the shim's)
#   ACCEL=...    the -accel option (default tcg; e.g. tcg,thread=single or tcg,tb-size=256); a later -cpu in the
#                extra arguments replaces the shim's -cpu max,pmu=off
# Prints per round, in ms since QEMU was started (wall clock of this script reading the console):
#   entry   QEMU start to the kernel's entry point: qboot's last fw_cfg read (the kernel entry address), from
#           QEMU's own trace timestamps (-trace fw_cfg_select): QEMU's start-up, qboot and the initrd's copy into
#           guest RAM, all host work before the guest kernel runs its first instruction
#   init    /init's "init ready" line (kernel booted, /init done)      kernel-uptime: what /init read from /proc/uptime
#   agent   the agent's "ready in" line (listening); guest: the guest's uptime in it ("ms since boot")
#   run-init  the kernel's timestamp of "Run /init" (or /sbin/init), when printk.time=1 and no quiet let it print
#   cpu     CPU time QEMU had used by then (user + system): the emulation work, which a loaded machine stretches
#           in wall-clock time but hardly changes, so it compares changes when the machine is busy
# and the medians. Figures for the README's boot steps table.
set -euo pipefail
kernel=$1 root=$2 rounds=${3:-5}
shift $(( $# < 3 ? $# : 3 ))
[ "${1:-}" = -- ] && shift
extra=("$@")
accel=${ACCEL:-tcg}
append=${APPEND:-"tsc=reliable no_timer_check rcupdate.rcu_expedited=1 i8042.direct=1 i8042.dumbkbd=1 i8042.nopnp=1 i8042.noaux=1 noreplace-smp reboot=k cryptomgr.notests net.ifnames=0 lapic_bus_khz=1000000 console=ttyS0 quiet systemd.show_status=false panic=1 nr_cpus=2 selinux=0 scsi_mod.scan=none"}
# MACHINE_OPTIONS=... replaces the q35 options after q35 (default: the shim's for a pod guest).
machine_options=${MACHINE_OPTIONS-",sata=off,smbus=off"}
if [[ $root == image:* ]]; then
  image=${root#image:}
  boot=(-blockdev "driver=raw,node-name=image,read-only=on,file.driver=file,file.filename=$image,file.aio=threads"
    -device virtio-blk-pci,drive=image,id=image)
  append="$append root=/dev/vda1 rootflags=ro ro rootfstype=erofs"
else
  boot=(-initrd "$root")
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

results=()
for round in $(seq "$rounds"); do
  begin=$EPOCHREALTIME
  qemu-system-x86_64 -name steps -machine "q35$machine_options" -accel "$accel" -cpu max,pmu=off -smp 1,maxcpus=2 -m 1024M,slots=10,maxmem=24000M \
    -kernel "$kernel" "${boot[@]}" -append "$append" \
    -device virtio-serial-pci,id=serial0 -chardev socket,id=agent,path="$work/agent.sock",server=on,wait=off \
    -device virtserialport,bus=serial0.0,chardev=agent,name=agent.channel.0 \
    -device virtio-scsi-pci,id=scsi0 -object rng-random,id=rng0,filename=/dev/urandom -device virtio-rng-pci,rng=rng0 \
    -rtc base=utc,driftfix=slew,clock=host -nodefaults -no-user-config -display none -no-reboot \
    -serial stdio -trace fw_cfg_select -D "$work/trace" -msg timestamp=on "${extra[@]}" </dev/null > "$work/console" 2>&1 &
  qemu=$!
  init= agent= uptime= cpu= guest= run_init=
  while kill -0 "$qemu" 2>/dev/null; do
    now=$EPOCHREALTIME
    if [ -z "$init" ] && grep -q 'sealpod-guest: init ready' "$work/console"; then
      init=$(awk -v b="$begin" -v e="$now" 'BEGIN { printf "%.0f", (e - b) * 1000 }')
      uptime=$(sed -nE 's/.*init ready in ([0-9]+) ms.*/\1/p' "$work/console")
    fi
    if grep -q 'ready in .* since Main' "$work/console"; then
      agent=$(awk -v b="$begin" -v e="$now" 'BEGIN { printf "%.0f", (e - b) * 1000 }')
      # utime and stime (fields 14 and 15, in clock ticks) of QEMU, after the ')' that ends its name.
      cpu=$(sed -E 's/.*\) //' "/proc/$qemu/stat" | awk -v hz="$(getconf CLK_TCK)" '{ printf "%.0f", ($12 + $13) * 1000 / hz }')
      guest=$(sed -nE 's/.* ([0-9]+) ms since boot.*/\1/p' "$work/console" | head -1)
      run_init=$(sed -nE 's/^\[ *([0-9.]+)\] Run .*init as init process.*/\1/p' "$work/console" | awk '{ printf "%.0f", $1 * 1000 }')
      break
    fi
    [ $(( ${now%.*} - ${begin%.*} )) -lt 120 ] || break
    sleep 0.01
  done
  kill "$qemu" 2>/dev/null; wait "$qemu" 2>/dev/null || true
  [ -n "$agent" ] || { echo "round $round: no agent ready line; console:" >&2; tail -20 "$work/console" >&2; exit 1; }
  # The trace's lines are "pid@seconds.micros:fw_cfg_select ... 'kernel_entry' ...", in the same clock as EPOCHREALTIME.
  entry=$(awk -F'[@:]' -v b="$begin" "/'kernel_entry'/ { printf \"%.0f\", (\$2 - b) * 1000; exit }" "$work/trace" 2>/dev/null)
  echo "round $round: entry ${entry:-?} ms, init ${init:-?} ms (kernel uptime ${uptime:-?} ms), agent $agent ms (guest ${guest:-?} ms), QEMU cpu ${cpu:-?} ms, run-init ${run_init:-?} ms"
  results+=("${init:-0} ${uptime:-0} $agent ${cpu:-0} ${entry:-0} ${guest:-0} ${run_init:-0}")
  rm -f "$work/trace"
done
median() { printf '%s\n' "${results[@]}" | awk -v c="$1" '{ print $c }' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "median of $rounds: entry $(median 5) ms, init $(median 1) ms (kernel uptime $(median 2) ms), agent $(median 3) ms (guest $(median 6) ms), QEMU cpu $(median 4) ms, run-init $(median 7) ms"
