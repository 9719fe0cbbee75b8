#!/bin/bash
# Builds Sealpod's guest kernel from Debian's linux-source-6.1 and a config
# fragment: allnoconfig plus the fragment (merge_config.sh -n), checked so that
# every value the fragment asks for is in the final .config, then bzImage.
#
# usage: build-kernel.sh SOURCE_TARBALL FRAGMENT WORK_DIR OUTPUT [PATCH...]
#   WORK_DIR holds the unpacked source (src/) and the object tree (obj/); it is
#   reused by the next build of the same source (a changed fragment rebuilds
#   only what the changed options touch). The PATCHes (patch -p1, in the order
#   given) are applied to the source; a changed set is reverted and applied
#   again in place, so only what they touch is rebuilt.
#   OUTPUT gets the bzImage, OUTPUT.release
#   the kernel release (uname -r), OUTPUT.vmlinux the uncompressed kernel (an ELF
#   with the PVH note, symbols stripped) that QEMU boots directly when no
#   firmware is configured.
# Environment: KERNEL_JOBS (default: the number of CPUs), KERNEL_NICE (default 10).
set -euo pipefail

tarball=$1 fragment=$2 work=$3 output=$4
patches=("${@:5}")
jobs=${KERNEL_JOBS:-$(nproc)}
[[ -n $jobs ]] || jobs=$(nproc)
niceness=${KERNEL_NICE:-10}

mkdir -p "$work"
src=$work/src obj=$work/obj
# The unpacked source is keyed by the tarball's content, so a new source
# package replaces it.
source_id=$(sha256sum "$tarball" | cut -c1-16)
if [[ ! -f $src/.sealpod-source && -d $src ]] || [[ -f $src/.sealpod-source && $(cat "$src/.sealpod-source") != "$source_id" ]]; then
    rm -rf "$src" "$obj"
fi
unpack() {
    echo "guest: unpacking $(basename "$tarball")"
    rm -rf "$src.tmp"
    mkdir -p "$src.tmp"
    tar -xf "$tarball" -C "$src.tmp" --strip-components=1
    rm -rf "$src"
    mv "$src.tmp" "$src"
    echo "$source_id" > "$src/.sealpod-source"
}
[[ -f $src/.sealpod-source ]] || unpack

# src/.sealpod-patches holds a copy of each applied patch (NNNN.patch, in
# order), so that a changed set can be reverted. patch rewrites the files it
# touches: their new mtime makes make rebuild them, both ways.
applied=$src/.sealpod-patches
digests() { local p; for p in "$@"; do sha256sum <"$p"; done; }
sync_patches() {
    local p i=0 have
    mkdir -p "$applied"
    # NNNN names: the glob's order is the order they were applied in.
    have=("$applied"/*.patch)
    [[ -e ${have[0]} ]] || have=()
    [[ $(digests "${have[@]}") != "$(digests "${patches[@]}")" ]] || return 0
    for (( i = ${#have[@]} - 1; i >= 0; i-- )); do
        patch -R -s -p1 --batch --no-backup-if-mismatch -r - -d "$src" -i "${have[i]}" >/dev/null || return 1
        rm "${have[i]}"
    done
    i=0
    for p in "${patches[@]}"; do
        echo "guest: applying $(basename "$p")"
        patch -s -p1 --forward --batch --no-backup-if-mismatch -r - -d "$src" -i "$p" >/dev/null || return 1
        i=$((i + 1))
        cp "$p" "$applied/$(printf %04d "$i").patch"
    done
}
# A patch that does not apply (or revert) over the kept source: start again from
# the tarball; the object tree goes too, since the tarball's files are older
# than the objects built from their patched versions.
if ! sync_patches; then
    echo "guest: the patches do not apply over $src; unpacking the source again"
    rm -rf "$src" "$obj"
    unpack
    sync_patches || { echo "guest: a patch of ${patches[*]} does not apply to $(basename "$tarball")" >&2; exit 1; }
fi

mkdir -p "$obj"
# merge_config.sh runs `make allnoconfig` with the fragment as KCONFIG_ALLCONFIG
# and reports values that did not make it (a dependency missing or a name that
# this kernel does not have): that is an error here, not a warning.
report=$(cd "$src" && ARCH=x86_64 scripts/kconfig/merge_config.sh -n -O "$obj" "$fragment" 2>&1) || {
    echo "$report" >&2
    exit 1
}
if grep -q '^Value requested for' <<<"$report"; then
    echo "guest: $fragment asks for values the kernel configuration does not take:" >&2
    grep -A2 '^Value requested for' <<<"$report" >&2
    exit 1
fi

echo "guest: building kernel ($jobs jobs, nice $niceness)"
start=$(date +%s)
# KBUILD_BUILD_* make the version string reproducible.
nice -n "$niceness" make -C "$src" O="$obj" ARCH=x86_64 -j"$jobs" -s \
    KBUILD_BUILD_USER=sealpod KBUILD_BUILD_HOST=sealpod \
    KBUILD_BUILD_TIMESTAMP="@${SOURCE_DATE_EPOCH:-0}" bzImage
cp "$obj/include/config/kernel.release" "$output.release"
objcopy --strip-all "$obj/vmlinux" "$output.vmlinux.tmp"
mv "$output.vmlinux.tmp" "$output.vmlinux"
cp "$obj/arch/x86/boot/bzImage" "$output.tmp"
mv "$output.tmp" "$output"
echo "guest: kernel $(cat "$obj/include/config/kernel.release") built in $(( $(date +%s) - start )) s, $(stat -c %s "$output") bytes"
