#!/bin/bash
# Assembles the guest root file system and packs it into a reproducible initrd.
#
# usage: build-initrd.sh --output FILE --kernel-dir DIR --sysroot DIR
#          --modules-list FILE --init FILE --manifest FILE
#          [--agent FILE] [--compress lz4|gzip|zstd|xz|none] [--epoch SECONDS]
#          [--extra-lib SONAME]... [--extra-ca PEM]...
#   --extra-lib  a library a program loads with dlopen (which no NEEDED entry
#                names), copied from the sysroot with its own dependencies
#   --extra-ca   a PEM file of CA certificates appended to the guest's bundle
#
# Reproducible: every file is copied with a fixed mode and owner root, all
# mtimes are set to --epoch, the archive lists files in byte order (LC_ALL=C)
# with device-independent inode numbers, and the compressor stores no name or
# time stamp. The same inputs give the same bytes.
set -euo pipefail
umask 022
export LC_ALL=C

output='' kernel_dir='' sysroot='' modules_list='' init='' manifest='' agent=''
compress=none
epoch=0
extra_libs=()
extra_cas=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --output) output=$2 ;;
        --kernel-dir) kernel_dir=$2 ;;
        --sysroot) sysroot=$2 ;;
        --modules-list) modules_list=$2 ;;
        --init) init=$2 ;;
        --manifest) manifest=$2 ;;
        --agent) agent=$2 ;;
        --compress) compress=$2 ;;
        --epoch) epoch=$2 ;;
        --extra-lib) extra_libs+=("$2") ;;
        --extra-ca) extra_cas+=("$2") ;;
        *) echo "build-initrd.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift 2
done

fail() { echo "guest: $*" >&2; exit 1; }

for required in output kernel_dir sysroot modules_list init manifest; do
    [[ -n ${!required} ]] || fail "build-initrd.sh: --${required//_/-} is required"
done
[[ $epoch =~ ^[0-9]+$ ]] || fail "SOURCE_DATE_EPOCH must be a number of seconds, got '$epoch'"
case $compress in
    gzip) compressor=(gzip -n -9) ;;
    lz4) compressor=(lz4 -l -9 -q) ;; # the kernel reads only the legacy lz4 frame
    zstd) compressor=(zstd -q -19 -T1 --no-check) ;;
    xz) compressor=(xz --check=crc32 -9 -T1) ;; # the kernel's xz reader needs crc32
    none) compressor=(cat) ;;
    *) fail "GUEST_COMPRESS must be lz4, gzip, zstd, xz or none, got '$compress'" ;;
esac
command -v "${compressor[0]}" >/dev/null || fail "${compressor[0]} is not installed (make guest-tools)"

release_dirs=("$kernel_dir"/lib/modules/*)
[[ ${#release_dirs[@]} == 1 && -f ${release_dirs[0]}/modules.dep ]] ||
    fail "$kernel_dir holds no unpacked kernel with modules.dep"
release=$(basename "${release_dirs[0]}")
kernel_dir=$(realpath "$kernel_dir") # modprobe prints absolute paths
sysroot=$(realpath "$sysroot")
# Not lib64/ld-linux-x86-64.so.2: in the package that is an absolute link,
# which would lead out of the sysroot to the host's loader.
ld_so="$sysroot/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
[[ -f $ld_so ]] || fail "$sysroot has no dynamic loader (is libc6 in the package list?)"
busybox="$sysroot/bin/busybox"
[[ -x $busybox ]] || fail "$sysroot has no /bin/busybox (is busybox-static in the package list?)"
crun="$sysroot/usr/bin/crun"
[[ -x $crun ]] || fail "$sysroot has no /usr/bin/crun (is crun in the package list?)"

root="$output.rootfs"
rm -rf "$root"
mkdir -p "$root"

# Debian 12 layout: merged /usr, so /bin, /sbin, /lib, /lib64 are links.
mkdir -p "$root"/usr/{bin,sbin,lib/x86_64-linux-gnu,lib64} \
    "$root"/{dev,proc,sys,run,tmp,mnt,root,etc/sealpod,var}
for dir in bin sbin lib lib64; do ln -s "usr/$dir" "$root/$dir"; done
ln -s ../run "$root/var/run"
ln -s ../tmp "$root/var/tmp"
chmod 1777 "$root/tmp"
chmod 0700 "$root/root"

# install FILE DEST MODE: copies content only (never the source's owner,
# mode or time), following symlinks.
install_file() {
    mkdir -p "$(dirname "$root/$2")"
    cp -L "$1" "$root/$2"
    chmod "$3" "$root/$2"
}

install_file "$init" init 0755

install_file "$busybox" usr/bin/busybox 0755
# The pause program of sandboxes whose images the guest pulls (Kata's /pause_bundle; see guest/pause/pause.c).
mkdir -p "$root/pause_bundle/rootfs"
gcc -static -Os -s -o "$root/pause_bundle/rootfs/pause" "$(dirname "$0")/../pause/pause.c" \
    || fail "cannot build the pause program (needs gcc and libc6-dev)"
# One link per applet at the path busybox expects, e.g. sbin/insmod. The
# applets come from the guest's own busybox, which is static and runs here.
while read -r applet; do
    [[ $applet == linuxrc ]] && continue
    case $applet in
        bin/*|sbin/*) path=usr/$applet ;;
        *) path=$applet ;;
    esac
    [[ -e $root/$path || -L $root/$path ]] || ln -s /usr/bin/busybox "$root/$path"
done < <("$busybox" --list-full | sort)
# Booted from the root disk image (build-rootfs-image.sh), the kernel runs /sbin/init, not the initramfs' /init: the
# same script either way (in place of busybox's init applet, which nothing here uses).
ln -sfn /init "$root/usr/sbin/init"

install_file "$crun" usr/bin/crun 0755
elves=(usr/bin/crun)
if [[ -n $agent ]]; then
    [[ -f $agent ]] || fail "agent binary $agent not found"
    install_file "$agent" usr/sbin/sealpod-agent 0755
    elves+=(usr/sbin/sealpod-agent)
fi

# Shared libraries: ask the guest's own dynamic loader which files it would
# map, searching only the guest sysroot first. Anything it finds outside the
# sysroot (or not at all) is a library no listed package provides.
lib_dirs=("$sysroot/lib/x86_64-linux-gnu" "$sysroot/usr/lib/x86_64-linux-gnu")
lib_path=$(IFS=:; echo "${lib_dirs[*]}")
declare -A libs=()
for soname in ${extra_libs[@]+"${extra_libs[@]}"}; do
    found=
    for dir in "${lib_dirs[@]}"; do
        [[ -e $dir/$soname ]] && { found=$dir/$soname; break; }
    done
    [[ -n $found ]] || fail "extra library $soname is in no package of the guest package list"
    install_file "$found" "usr/lib/x86_64-linux-gnu/$soname" 0644
    elves+=("usr/lib/x86_64-linux-gnu/$soname")
done
for elf in "${elves[@]}"; do
    if ! listing=$("$ld_so" --library-path "$lib_path" --list "$root/$elf" 2>&1); then
        if [[ $listing == *"not a dynamic executable"* ]]; then
            continue # static: nothing to copy
        fi
        fail "cannot list the libraries of $elf: $listing"
    fi
    while read -r line; do
        # "libc.so.6 => /path/libc.so.6 (0x...)", "/lib64/ld-linux... (0x...)"
        case $line in
            linux-vdso.so.*|"") continue ;;
            /*) soname=$(basename "${line%% *}"); file=$ld_so ;; # the loader itself
            *"=> not found"*) fail "$elf needs ${line%% *}, which no package in the guest package list provides: add the package that ships it" ;;
            *" => "*) soname=${line%% *}; file=${line#* => }; file=${file% (*} ;;
            *) fail "unexpected line from ld.so --list for $elf: $line" ;;
        esac
        if [[ $file != "$sysroot"/* ]]; then
            # dpkg knows a merged-/usr file by the path its package ships.
            real=$(readlink -f "$file")
            owner=$( (dpkg -S "$real" || dpkg -S "${real#/usr}" || dpkg -S "$file") 2>/dev/null |
                head -n 1 | cut -d: -f1 || true)
            fail "$elf needs $soname, which no package in the guest package list provides${owner:+ (the host has it from package $owner: add that to the list)}"
        fi
        libs[$soname]=$file
    done <<<"$listing"
done
for soname in $(printf '%s\n' "${!libs[@]}" | sort); do
    # The loader must be executable: the kernel opens it as a program.
    mode=0644
    [[ ${libs[$soname]} == "$ld_so" ]] && mode=0755
    install_file "${libs[$soname]}" "usr/lib/x86_64-linux-gnu/$soname" $mode
done
ln -s ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$root/usr/lib64/ld-linux-x86-64.so.2"

# Kernel modules: the closure of modules.list in dependency order, from the
# kernel's own modules.dep and softdeps (modprobe --show-depends).
mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$modules_list" | grep -v '^$')
[[ ${#wanted[@]} -gt 0 ]] || fail "$modules_list lists no module"
module_root="usr/lib/modules/$release"
mkdir -p "$root/$module_root"
: > "$root/$module_root/sealpod.order"
declare -A seen=()
for module in "${wanted[@]}"; do
    deps=$(modprobe --dirname "$kernel_dir" --set-version "$release" --show-depends "$module" 2>&1) ||
        fail "kernel $release has no module $module (from $modules_list): $deps"
    while read -r verb path _; do
        case $verb in
            builtin) continue ;; # part of vmlinuz: nothing to load
            insmod) ;;
            *) fail "unexpected modprobe output for $module: $verb $path" ;;
        esac
        relative=${path#"${kernel_dir%/}/lib/modules/$release/"}
        target=$relative
        case $relative in
            *.ko.xz) target=${relative%.xz} ;;
            *.ko.zst) target=${relative%.zst} ;;
            *.ko.gz) target=${relative%.gz} ;;
        esac
        [[ -z ${seen[$target]:-} ]] || continue
        seen[$target]=1
        mkdir -p "$(dirname "$root/$module_root/$target")"
        # busybox insmod loads plain ELF objects only: decompress here.
        case $relative in
            *.ko.xz) xz -dc "$path" > "$root/$module_root/$target" ;;
            *.ko.zst) zstd -qdc "$path" > "$root/$module_root/$target" ;;
            *.ko.gz) gzip -dc "$path" > "$root/$module_root/$target" ;;
            *) cp "$path" "$root/$module_root/$target" ;;
        esac
        chmod 0644 "$root/$module_root/$target"
        echo "$target" >> "$root/$module_root/sealpod.order"
    done <<<"$deps"
done
# modules.dep for the subset, so that busybox modprobe (and the kernel's
# request_module, which runs /sbin/modprobe) also work in the guest.
cp "$kernel_dir/lib/modules/$release/"modules.builtin{,.modinfo} "$root/$module_root/"
cp "$root/$module_root/sealpod.order" "$root/$module_root/modules.order"
depmod --basedir "$root" "$release"

cat > "$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat > "$root/etc/group" <<'EOF'
root:x:0:
tty:x:5:
nogroup:x:65534:
EOF
ln -s ../proc/self/mounts "$root/etc/mtab"
# The agent writes the DNS settings CreateSandbox sends to /etc/resolv.conf. The root disk image is read-only, so the
# file lives on the /run tmpfs (in the initrd too: one tree for both), as Kata's agent keeps it under /run.
ln -s ../run/resolv.conf "$root/etc/resolv.conf"
# What /init mounts, in two `mount -a` passes (one exec each instead of one per
# file system): first the pseudo file systems, then those inside the devtmpfs
# the first pass put on /dev.
cat > "$root/etc/sealpod/fstab.boot" <<'EOF'
proc /proc proc nosuid,nodev,noexec 0 0
sysfs /sys sysfs nosuid,nodev,noexec 0 0
devtmpfs /dev devtmpfs nosuid,mode=0755 0 0
tmpfs /run tmpfs nosuid,nodev,mode=0755 0 0
tmpfs /tmp tmpfs nosuid,nodev,mode=1777 0 0
cgroup2 /sys/fs/cgroup cgroup2 nosuid,nodev,noexec,nsdelegate 0 0
EOF
cat > "$root/etc/sealpod/fstab.dev" <<'EOF'
devpts /dev/pts devpts nosuid,noexec,mode=0620,ptmxmode=0666 0 0
tmpfs /dev/shm tmpfs nosuid,nodev,mode=1777 0 0
mqueue /dev/mqueue mqueue nosuid,nodev,noexec 0 0
EOF

# The CA bundle at Debian's path (what update-ca-certificates would write): the Mozilla roots of the
# ca-certificates package in byte order, then the operator's own (GUEST_EXTRA_CA). OpenSSL's default file
# (/usr/lib/ssl/cert.pem) points at it, as Debian's openssl package links it.
ca_dir="$sysroot/usr/share/ca-certificates/mozilla"
if [[ -d $ca_dir ]]; then
    mkdir -p "$root/etc/ssl/certs" "$root/usr/lib/ssl"
    bundle="$root/etc/ssl/certs/ca-certificates.crt"
    : > "$bundle"
    for pem in "$ca_dir"/*.crt ${extra_cas[@]+"${extra_cas[@]}"}; do
        [[ -f $pem ]] || fail "CA file $pem not found (GUEST_EXTRA_CA)"
        grep -q -- '-----BEGIN CERTIFICATE-----' "$pem" || fail "CA file $pem holds no PEM certificate"
        cat "$pem" >> "$bundle"
        [[ $(tail -c 1 "$bundle") == "" ]] || echo >> "$bundle"
    done
    chmod 0644 "$bundle"
    ln -s /etc/ssl/certs/ca-certificates.crt "$root/usr/lib/ssl/cert.pem"
    ln -s /etc/ssl/certs "$root/usr/lib/ssl/certs"
elif [[ ${#extra_cas[@]} -gt 0 ]]; then
    fail "GUEST_EXTRA_CA needs the ca-certificates package in the guest package list"
fi
printf '%s\n' "$release" > "$root/etc/sealpod/kernel.release"
# Only in the initramfs (build-rootfs-image.sh leaves it out of the disk image): /init re-roots when it sees it,
# whatever name the kernel started it by (rdinit= may name any path).
printf 'booted from an initramfs\n' > "$root/etc/sealpod/initramfs"
install_file "$manifest" etc/sealpod/packages 0644

find "$root" -exec touch --no-dereference --date="@$epoch" {} +

tmp="$output.tmp"
(cd "$root" && find . -mindepth 1 -printf '%P\n' | sort |
    cpio --create --format=newc --owner=0:0 --reproducible --quiet) |
    "${compressor[@]}" > "$tmp"
# A legacy lz4 stream has no end marker: the kernel would read an archive
# appended later (a VM runtime's extra files, the smoke test's stand-in
# agent) as one more lz4 block and fail. A zero block size ends the stream,
# and zero bytes between archives are skipped for every other format.
[[ $compress != lz4 ]] || printf '\0\0\0\0' >> "$tmp"
mv "$tmp" "$output"
