#!/bin/bash
# Boots the guest image under QEMU and checks it from inside.
#
# The image is booted unchanged except for one extra cpio archive appended to
# the initrd, which replaces /sbin/sealpod-agent with smoke/agent.sh. That
# stand-in agent checks the modules, /dev/vda (an erofs test disk), erofs,
# loop, overlay, cgroup v2, crun (including a real container), the
# virtio-serial port agent.channel.0 (whose bytes this script answers) and an
# unnamed virtconsole port next to it.
#
# usage: boot-smoke.sh --kernel FILE --initrd FILE [--accel tcg|kvm]
#          [--mode full|boot] [--timeout SECONDS] [--append PARAMS]
#          [--cpu MODEL] [--agent-as-child] [--busybox FILE] [--verbose]
#   --mode boot   only boot to the ready marker and power off (the accelerator
#                 probe uses this with --accel kvm)
#   --agent-as-child  /init runs the agent as its child and reports its exit
#                 status, instead of exec'ing it as PID 1 (the default)
# Prints the console's SMOKE lines, then one summary line; exits 0 when the
# guest reached the marker and every check passed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
kernel='' initrd='' accel=tcg mode=full timeout='' append='' busybox='' cpu='' verbose=0 as_child=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --kernel) kernel=$2; shift ;;
        --initrd) initrd=$2; shift ;;
        --accel) accel=$2; shift ;;
        --mode) mode=$2; shift ;;
        --timeout) timeout=$2; shift ;;
        --append) append=$2; shift ;;
        --busybox) busybox=$2; shift ;;
        --cpu) cpu=$2; shift ;;
        --verbose) verbose=1 ;;
        --agent-as-child) as_child=1 ;;
        *) echo "boot-smoke: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

fail() { echo "boot-smoke: $*" >&2; exit 1; }

[[ -f $kernel ]] || fail "--kernel: no such file '$kernel'"
[[ -f $initrd ]] || fail "--initrd: no such file '$initrd'"
case $accel in
    tcg) cpu=${cpu:-max}; timeout=${timeout:-180} ;;
    kvm) cpu=${cpu:-host}; timeout=${timeout:-20} ;;
    *) fail "--accel must be tcg or kvm, got '$accel'" ;;
esac
[[ $mode == full || $mode == boot ]] || fail "--mode must be full or boot, got '$mode'"
[[ $timeout =~ ^[0-9]+$ ]] || fail "--timeout must be whole seconds, got '$timeout'"
command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 is not installed (make guest-tools)"
if [[ $mode == full ]]; then
    command -v mkfs.erofs >/dev/null || fail "mkfs.erofs is not installed (make guest-tools)"
    # The container in the test disk needs a static busybox: the guest's own
    # (next to the initrd in the build folder), else the host's.
    if [[ -z $busybox ]]; then
        for candidate in "$(dirname "$initrd")/sysroot/bin/busybox" /bin/busybox; do
            if [[ -x $candidate ]]; then busybox=$candidate; break; fi
        done
    fi
    [[ -x $busybox ]] || fail "no static busybox for the test disk: pass --busybox FILE"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/sealpod-guest-smoke.XXXXXX")
qemu_pid=
# shellcheck disable=SC2317 # called through the trap
cleanup() {
    if [[ -n $qemu_pid ]] && kill -0 "$qemu_pid" 2>/dev/null; then
        kill "$qemu_pid" 2>/dev/null || true
        wait "$qemu_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The extra archive: the kernel unpacks concatenated archives in order, and a
# later file replaces an earlier one of the same name.
mkdir -p "$work/overlay/usr/sbin" "$work/overlay/etc/sealpod"
cp "$here/smoke/agent.sh" "$work/overlay/usr/sbin/sealpod-agent"
chmod 0755 "$work/overlay/usr/sbin/sealpod-agent"
echo "$mode" > "$work/overlay/etc/sealpod/smoke"
(cd "$work/overlay" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
    cpio --create --format=newc --owner=0:0 --quiet) | gzip -n > "$work/overlay.cpio.gz"
cat "$initrd" "$work/overlay.cpio.gz" > "$work/initrd.img"

# The kernel parameters recommended for the runtime: quiet serial console,
# exit on panic (with -no-reboot), and no crypto self-tests, which take 0.9 s
# of a 2.1 s boot under TCG.
params="console=ttyS0 quiet panic=-1 cryptomgr.notests"
[[ $as_child == 0 ]] || params+=" sealpod.agent_as_child"
log="$work/console.log"
sock="$work/agent.sock"
: > "$log"
: > "$work/host.log"
# shellcheck disable=SC2054 # commas belong to QEMU's option syntax
qemu=(qemu-system-x86_64
    -machine "q35,accel=$accel" -cpu "$cpu" -m 512 -smp 1
    -display none -monitor none -serial "file:$log" -nic none -no-reboot
    -kernel "$kernel" -initrd "$work/initrd.img"
    -append "$params $append")
if [[ $mode == full ]]; then
    mkdir -p "$work/disk/bin"
    cp "$busybox" "$work/disk/bin/busybox"
    echo 'sealpod erofs' > "$work/disk/hello.txt"
    mkfs.erofs --quiet --all-root "$work/disk.erofs" "$work/disk" >/dev/null
    # shellcheck disable=SC2054
    qemu+=(-drive "file=$work/disk.erofs,if=none,id=disk0,format=raw,readonly=on"
        -device virtio-blk-pci,drive=disk0
        -device virtio-serial-pci
        -chardev "socket,id=ch0,path=$sock,server=on,wait=off"
        -device virtserialport,chardev=ch0,name=agent.channel.0
        -chardev null,id=con0
        -device virtconsole,chardev=con0)
fi

now_ms() { echo $(($(date +%s%N) / 1000000)); }
start=$(now_ms)
deadline=$((start + timeout * 1000))
"${qemu[@]}" > "$work/qemu.out" 2>&1 &
qemu_pid=$!

# wait_for TEXT: true once the console shows TEXT; false when QEMU exits or
# the deadline passes first.
wait_for() {
    while ! grep -qF -- "$1" "$log"; do
        kill -0 "$qemu_pid" 2>/dev/null || { grep -qF -- "$1" "$log"; return; }
        (($(now_ms) < deadline)) || return 1
        sleep 0.05
    done
}

report() {
    if [[ $verbose == 1 || $1 != 0 ]]; then
        echo "---- console ($accel) ----"
        tr -d '\r' < "$log" | tail -n 60
        if [[ -s $work/qemu.out ]]; then
            echo "---- qemu ----"
            cat "$work/qemu.out"
        fi
        echo "----"
    else
        tr -d '\r' < "$log" | grep '^SMOKE' || true
    fi
    cat "$work/host.log"
}

if ! wait_for "sealpod-guest: init ready in"; then
    state=$(kill -0 "$qemu_pid" 2>/dev/null && echo "no ready marker within ${timeout}s" || echo "QEMU exited before the ready marker")
    report 1
    echo "boot-smoke: accel=$accel: $state"
    echo "0 passed, 1 failed"
    exit 1
fi
marker_ms=$(($(now_ms) - start))
guest_ms=$(tr -d '\r' < "$log" | sed -nE 's/.*sealpod-guest: init ready in ([0-9]+) ms.*/\1/p' | head -n 1)

host_failed=0
if [[ $mode == full ]] && wait_for "SMOKE port-ready"; then
    # Host end of the agent channel: send "ping", expect "pong".
    reply=$(perl -MIO::Socket::UNIX -e '
        my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $ARGV[0])
            or die "connect $ARGV[0]: $! ($@)\n";
        $s->autoflush(1);
        print $s "ping\n";
        local $SIG{ALRM} = sub { die "no reply\n" };
        alarm 30;
        my $line = <$s>;
        defined $line or die "closed\n";
        print $line;' "$sock" 2>&1) || true
    if [[ $reply != pong ]]; then
        echo "SMOKE FAIL host-port-io: expected pong from the guest, got '$reply'" >> "$work/host.log"
        host_failed=1
    fi
fi

done_ok=1
wait_for "SMOKE done" || done_ok=0
# The VM ends after the agent exits (power off, or panic=-1 with -no-reboot
# when the agent was PID 1); give it the rest of the time.
while kill -0 "$qemu_pid" 2>/dev/null && (($(now_ms) < deadline)); do sleep 0.05; done
total_ms=$(($(now_ms) - start))

summary=$(tr -d '\r' < "$log" | sed -nE 's/^SMOKE done passed=([0-9]+) failed=([0-9]+).*/\1 \2/p' | tail -n 1)
passed=${summary% *}
failed=${summary#* }
[[ -n $summary ]] || { passed=0; failed=0; }
failed=$((failed + host_failed))
powered_off=1
kill -0 "$qemu_pid" 2>/dev/null && powered_off=0
# The stand-in agent's own exit status: reported by /init when it is a child,
# by the kernel's panic message when it is PID 1.
if [[ $as_child == 1 ]]; then
    exit_line="sealpod-guest: agent exited with status 0"
else
    exit_line="Attempted to kill init! exitcode=0x00000000"
fi
grep -qF "$exit_line" "$log" || { [[ $failed != 0 ]] || failed=1; }

status=0
[[ $done_ok == 1 && $failed == 0 && $powered_off == 1 ]] || status=1
report $status
echo "boot-smoke: accel=$accel mode=$mode ready marker after ${marker_ms} ms on the host" \
    "(guest uptime ${guest_ms} ms), VM ended after ${total_ms} ms$([[ $powered_off == 1 ]] || echo ', still running: killed')"
# The boot itself counts as one check.
echo "$((passed + 1)) passed, $failed failed"
exit $status
