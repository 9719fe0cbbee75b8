#!/bin/sh
# Stand-in agent for boot-smoke.sh: /init runs it as /sbin/sealpod-agent and
# it checks, from inside the guest, what the real agent relies on. Each check
# prints "SMOKE ok NAME" or "SMOKE FAIL NAME: why"; the last line is
# "SMOKE done passed=N failed=M" and the exit status is 1 if any failed.
#
# /etc/sealpod/smoke holds the mode: "boot" (only report and exit) or "full".
# The host attaches the test disk as the first virtio-blk disk (/dev/vda, an
# erofs image holding bin/busybox and hello.txt) and a virtio-serial port
# named agent.channel.0 that answers "ping" after "SMOKE port-ready".

passed=0
failed=0
ok() { echo "SMOKE ok $1"; passed=$((passed + 1)); }
bad() { echo "SMOKE FAIL $1: $2"; failed=$((failed + 1)); }
check() { # check NAME COMMAND...: ok when COMMAND succeeds
    name=$1
    shift
    if out=$("$@" 2>&1); then ok "$name"; else bad "$name" "$(echo "$out" | tail -n 3 | tr '\n' ' ')"; fi
}

echo "SMOKE uname-r $(uname -r)"
mode=$(cat /etc/sealpod/smoke 2>/dev/null)
if [ "$mode" != full ]; then
    echo "SMOKE done passed=0 failed=0"
    exit 0
fi

# Every module of the build-time load order is live. A kernel without module
# support (Sealpod's own, everything built in) has no /proc/modules.
release=$(uname -r)
if [ -e /proc/modules ]; then
    missing=
    while read -r path; do
        module=${path##*/}
        module=${module%.ko}
        module=$(echo "$module" | tr - _)
        grep -q "^$module " /proc/modules || missing="$missing $module"
    done < "/lib/modules/$release/sealpod.order"
    echo "SMOKE modules $(cut -d' ' -f1 /proc/modules | sort | tr '\n' ' ')"
    if [ -z "$missing" ]; then ok modules-loaded; else bad modules-loaded "not loaded:$missing"; fi
else
    echo "SMOKE modules none (kernel without module support)"
fi

check dev-vda test -b /dev/vda
check dev-hvc0 test -c /dev/hvc0
check dev-vsock test -c /dev/vsock

check cgroup2-mounted grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts
controllers=$(cat /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null)
echo "SMOKE cgroup-controllers $controllers"
absent=
for controller in cpu memory pids io; do
    case " $controllers " in *" $controller "*) ;; *) absent="$absent $controller" ;; esac
done
if [ -z "$absent" ]; then ok cgroup-controllers; else bad cgroup-controllers "not delegated:$absent"; fi

# /init (PID 1) reaps orphans it inherits: a zombie left here would mean
# every daemonized process outside the agent's tree leaks.
sh -c 'sleep 0.2 & exit 0'
sleep 1
zombies=$(grep -l '^State:.*Z' /proc/[0-9]*/status 2>/dev/null | wc -l)
if [ "$zombies" -eq 0 ]; then ok orphans-reaped; else bad orphans-reaped "$zombies zombie processes"; fi

# erofs from the virtio-blk disk, and again from a file through a loop device.
mkdir -p /run/smoke/lower /run/smoke/loop /run/smoke/upper /run/smoke/work /run/smoke/bundle/rootfs
check erofs-mount mount -t erofs -o ro /dev/vda /run/smoke/lower
check erofs-content grep -qx 'sealpod erofs' /run/smoke/lower/hello.txt
cat /dev/vda > /tmp/lower.erofs
check loop-erofs-mount mount -t erofs -o ro,loop /tmp/lower.erofs /run/smoke/loop
check loop-erofs-content grep -qx 'sealpod erofs' /run/smoke/loop/hello.txt

# overlay: the erofs image as the read-only layer of a container root.
check overlay-mount mount -t overlay overlay \
    -o lowerdir=/run/smoke/lower,upperdir=/run/smoke/upper,workdir=/run/smoke/work /run/smoke/bundle/rootfs
check overlay-write sh -c 'echo upper > /run/smoke/bundle/rootfs/new.txt && grep -qx upper /run/smoke/upper/new.txt'
check overlay-lower-visible grep -qx 'sealpod erofs' /run/smoke/bundle/rootfs/hello.txt

# The OCI runtime runs, then runs a container (pivot_root into the overlay,
# namespaces, cgroup limits through the delegated controllers, in a nested
# group like the agent's /sealpod/ID).
version=$(crun --version 2>&1)
echo "SMOKE crun-version $(echo "$version" | head -n 1)"
check crun-version crun --version
if cd /run/smoke/bundle && crun spec; then
    sed -i \
        -e 's|"terminal": true|"terminal": false|' \
        -e 's|"sh"$|"/bin/busybox", "sh", "-c", "echo container-ok; cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max"|' \
        -e 's|"linux": {$|"linux": {\n"cgroupsPath": "/sealpod/smoke",|' \
        -e 's|"resources": {$|"resources": {\n"memory": {"limit": 67108864},\n"pids": {"limit": 64},|' \
        -e 's|"namespaces": \[$|"namespaces": [\n{"type": "cgroup"},|' \
        config.json
    out=$(crun run --bundle /run/smoke/bundle smoke 2>&1)
    status=$?
    echo "$out" | sed 's/^/SMOKE container: /'
    if [ $status -eq 0 ] && [ "$(echo "$out" | tr '\n' ' ')" = "container-ok 67108864 64 " ]; then
        ok crun-run
    else
        bad crun-run "status $status"
    fi
else
    bad crun-run "crun spec failed"
fi
cd /

# The agent channel: named by /init, and carrying bytes both ways. A port
# can be open only once, so read and write through one descriptor.
port=/dev/virtio-ports/agent.channel.0
if [ -L "$port" ] && [ -c "$port" ]; then
    ok virtio-port-name
    echo "SMOKE port $(readlink "$port")"
    exec 3<> "$port"
    echo "SMOKE port-ready"
    # Until the host end connects, read returns end-of-file at once: retry.
    line=
    tries=0
    until read -t 5 -r line <&3 || [ -n "$line" ] || [ $tries -ge 600 ]; do
        usleep 50000
        tries=$((tries + 1))
    done
    if [ "$line" = ping ]; then
        echo pong >&3
        ok virtio-port-io
    else
        bad virtio-port-io "expected ping, got '$line'"
    fi
    exec 3>&-
else
    bad virtio-port-name "$port missing ($(ls /sys/class/virtio-ports 2>&1 | tr '\n' ' '))"
fi

umount /run/smoke/bundle/rootfs /run/smoke/loop /run/smoke/lower 2>/dev/null
echo "SMOKE done passed=$passed failed=$failed"
[ "$failed" -eq 0 ]
