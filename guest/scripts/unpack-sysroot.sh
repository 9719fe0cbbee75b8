#!/bin/bash
# Unpacks every downloaded package except the kernel into SYSROOT (replacing
# it): the file tree the initrd's programs and libraries are taken from.
#
# usage: unpack-sysroot.sh DEBS_DIR SYSROOT
set -euo pipefail

debs_dir=${1:?usage: unpack-sysroot.sh DEBS_DIR SYSROOT}
sysroot=${2:?sysroot folder missing}

kernel_deb=$(cat "$debs_dir/kernel.deb.name")
staging="$sysroot.partial"
rm -rf "$staging"
mkdir -p "$staging"
for deb in "$debs_dir"/*.deb; do
    [[ $(basename "$deb") == "$kernel_deb" ]] && continue
    dpkg-deb -x "$deb" "$staging"
done
rm -rf "$sysroot"
mv "$staging" "$sysroot"
