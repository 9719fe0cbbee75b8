#!/bin/bash
# Downloads the guest's Debian packages into OUT_DIR, replacing its contents:
# the real kernel package behind the kernel metapackage, plus every package in
# PACKAGES_LIST. Writes OUT_DIR/manifest.txt (package, version, sha256 per deb)
# and OUT_DIR/kernel.deb.name (file name of the kernel deb).
#
# usage: fetch-debs.sh OUT_DIR PACKAGES_LIST KERNEL_META [KERNEL_PKG]
#   KERNEL_PKG, when given, names the kernel package (or package=version) and
#   skips the metapackage look-up.
set -euo pipefail

out_dir=${1:?usage: fetch-debs.sh OUT_DIR PACKAGES_LIST KERNEL_META [KERNEL_PKG]}
packages_list=${2:?packages list missing}
kernel_meta=${3:?kernel metapackage missing}
kernel_pkg=${4:-}

fail() { echo "guest: $*" >&2; exit 1; }

[[ -r $packages_list ]] || fail "cannot read package list $packages_list"

# Download next to the final folder, then swap, so an interrupted download
# never leaves a half-filled debs folder that a later make run would trust.
staging="$out_dir.partial"
rm -rf "$staging"
mkdir -p "$staging"
log="$staging/apt.log"

updated=0
# apt-get download needs populated package lists; a fresh machine (or a stale
# list naming versions the mirror dropped) needs one 'apt-get update'.
apt_download() {
    if (cd "$staging" && apt-get download "$@") >>"$log" 2>&1; then
        return 0
    fi
    if [[ $updated == 0 ]]; then
        updated=1
        echo "guest: apt-get download failed, running apt-get update once" >&2
        apt-get update >>"$log" 2>&1 || { cat "$log" >&2; fail "apt-get update failed"; }
        if (cd "$staging" && apt-get download "$@") >>"$log" 2>&1; then
            return 0
        fi
    fi
    cat "$log" >&2
    fail "apt-get download $* failed"
}

if [[ -z $kernel_pkg ]]; then
    apt_download "$kernel_meta"
    meta_deb=$(find "$staging" -maxdepth 1 -name "${kernel_meta}_*.deb" | head -n 1)
    [[ -n $meta_deb ]] || fail "apt-get download $kernel_meta produced no .deb"
    # Depends: linux-image-6.1.0-56-cloud-amd64 (= 6.1.192-2)
    depends=$(dpkg-deb -f "$meta_deb" Depends)
    dep=$(tr ',' '\n' <<<"$depends" | grep -m1 -E '^ *linux-image-[0-9]' || true)
    [[ -n $dep ]] || fail "$kernel_meta depends on no linux-image-<version> package (Depends: $depends)"
    name=$(sed -E 's/^ *([^ (]+).*/\1/' <<<"$dep")
    version=$(sed -nE 's/.*\(= *([^)]+)\).*/\1/p' <<<"$dep")
    kernel_pkg="$name${version:+=$version}"
    rm -f "$meta_deb"
fi

mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$packages_list" | grep -v '^$')
[[ ${#packages[@]} -gt 0 ]] || fail "$packages_list lists no package"

echo "guest: downloading $kernel_pkg and ${#packages[@]} packages" >&2
apt_download "$kernel_pkg"
kernel_deb=$(find "$staging" -maxdepth 1 -name "${kernel_pkg%%=*}_*.deb" -printf '%f\n' | head -n 1)
[[ -n $kernel_deb ]] || fail "apt-get download $kernel_pkg produced no .deb"
apt_download "${packages[@]}"

# The manifest records exactly what went into the image; sorted so that it is
# byte-identical for identical inputs.
(
    cd "$staging"
    for deb in *.deb; do
        printf '%s %s %s\n' "$(dpkg-deb -f "$deb" Package)" "$(dpkg-deb -f "$deb" Version)" \
            "$(sha256sum "$deb" | cut -d' ' -f1)"
    done | LC_ALL=C sort > manifest.txt
)
printf '%s\n' "$kernel_deb" > "$staging/kernel.deb.name"
rm -f "$log"

rm -rf "$out_dir"
mv "$staging" "$out_dir"
