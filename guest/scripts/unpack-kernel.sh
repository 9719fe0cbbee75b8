#!/bin/bash
# Unpacks the guest kernel package into KERNEL_DIR (replacing it), generates
# modules.dep for it (the Debian package ships none: postinst runs depmod),
# and writes OUT_DIR/vmlinuz-cloud and OUT_DIR/kernel-cloud.release.
#
# usage: unpack-kernel.sh KERNEL_DEB KERNEL_DIR OUT_DIR
set -euo pipefail

deb=${1:?usage: unpack-kernel.sh KERNEL_DEB KERNEL_DIR OUT_DIR}
kernel_dir=${2:?kernel folder missing}
out_dir=${3:?output folder missing}

fail() { echo "guest: $*" >&2; exit 1; }

[[ -f $deb ]] || fail "kernel package $deb not found"

staging="$kernel_dir.partial"
rm -rf "$staging"
mkdir -p "$staging"
dpkg-deb -x "$deb" "$staging"

releases=("$staging"/lib/modules/*)
[[ ${#releases[@]} == 1 && -d ${releases[0]} ]] ||
    fail "$deb holds ${#releases[@]} module trees under lib/modules, expected one"
release=$(basename "${releases[0]}")
vmlinuz="$staging/boot/vmlinuz-$release"
[[ -f $vmlinuz ]] || fail "$deb has no boot/vmlinuz-$release"

depmod -b "$staging" "$release"

rm -rf "$kernel_dir"
mv "$staging" "$kernel_dir"

# Copy rather than link, so the image files stand on their own. vmlinuz-cloud is
# written last: it is the make target that stands for this whole step.
printf '%s\n' "$release" > "$out_dir/kernel-cloud.release"
cp "$kernel_dir/boot/vmlinuz-$release" "$out_dir/vmlinuz-cloud.tmp"
mv "$out_dir/vmlinuz-cloud.tmp" "$out_dir/vmlinuz-cloud"
