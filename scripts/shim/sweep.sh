#!/usr/bin/env bash
# Removes whatever a private containerd under DIR left running or mounted: the safety net behind the tests'
# own cleanup, for a test host that was killed (a hang timeout) before it could clean up. Processes that name
# DIR on their command line (containerd, its shims, their VMs) are killed by pid, mounts under it
# are unmounted deepest first, the shim sockets its bundles' address files name are removed, then DIR itself.
# Prints one line per thing it had to remove and exits 1 if there was any process, mount or socket.
#
#   sweep.sh DIR
set -uo pipefail
dir=${1:?usage: sweep.sh DIR}
dir=$(realpath -m "$dir")
# Only a directory its creator marked as a scratch area (run-tests.sh, containerd-up.sh) is swept: a mistaken
# CTRD_DIR (the build folder, the repository) would otherwise kill every process naming it and delete it.
if [ ! -e "$dir" ]; then exit 0; fi
if [ ! -f "$dir/.sealpod-scratch" ]; then echo "sweep: refusing to sweep $dir: it has no .sealpod-scratch marker" >&2; exit 2; fi
found=0
sockets=()

# Two passes: a process that was being started during the first (a VM its shim was launching) shows up in the second.
for _ in 1 2; do
  for proc in /proc/[0-9]*; do
    pid=${proc#/proc/}
    [ "$pid" = "$$" ] || [ "$pid" = "$PPID" ] && continue
    cmd=$({ tr '\0' ' ' < "$proc/cmdline"; } 2>/dev/null) || continue
    [ -n "$cmd" ] || continue
    case "$cmd" in
      *"$dir/"*)
        echo "sweep: killing process $pid: $cmd"
        kill -KILL "$pid" 2>/dev/null
        found=1
        # A shim names its socket on its command line (-socket unix://...), before containerd records it anywhere.
        socket=$(grep -o -- '-socket unix://[^ ]*' <<< "$cmd" | sed 's#^-socket unix://##')
        [ -z "$socket" ] || sockets+=("$socket")
        ;;
    esac
  done
  sleep 0.2
done

# Mount points are the fifth field of mountinfo, with spaces and the like escaped as \ooo octal.
while read -r mount; do
  mount=$(printf '%b' "$mount")
  echo "sweep: unmounting $mount"
  umount -l "$mount" 2>/dev/null || echo "sweep: could not unmount $mount" >&2
  found=1
done < <(awk -v d="$dir/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r)

# containerd keeps shim sockets outside its state (/run/containerd/s); each bundle's address file names its own.
while read -r file; do
  sockets+=("$(sed 's#^unix://##' "$file")")
done < <(find "$dir" -name address -type f 2>/dev/null)
for socket in "${sockets[@]}"; do
  if [ -S "$socket" ]; then
    echo "sweep: removing shim socket $socket"
    rm -f "$socket"
    found=1
  fi
done

# Never into a file system still mounted below (a mount that would not go away).
rm -rf --one-file-system "$dir"
exit "$found"
