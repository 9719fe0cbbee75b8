#!/usr/bin/env bash
# Stages what `make install` puts in /usr/share/sealpod under build/share/sealpod (links to the guest
# build: vmlinuz (Sealpod's kernel), vmlinux (the same, uncompressed: PVH boot), vmlinuz-cloud (the Debian cloud kernel), sealpod-initrd.img, sealpod-rootfs.img (the erofs root disk image)) and writes build/configuration-qemu-coco-dev.toml: the shipped
# coco-dev configuration with only /usr/share/sealpod pointing there, so the tree runs without installing
# and `make run`, `make test` and an installed shim all run the same settings.
#
#   stage-config.sh [SHIPPED.toml]   another shipped configuration (default: configuration-qemu-coco-dev.toml);
#                                    SEALPOD_CONFIG names the output.
set -euo pipefail
. "$(dirname "$0")/containerd-env.sh"
shipped=${1:-$ROOT/configs/configuration-qemu-coco-dev.toml}
guest=${GUEST_OUT:-$BUILD/guest}
[ -f "$shipped" ] || { echo "stage-config: $shipped not found" >&2; exit 1; }
for f in vmlinuz vmlinux vmlinuz-cloud initrd.img rootfs.img; do
  [ -f "$guest/$f" ] || { echo "stage-config: $guest/$f is missing (make guest)" >&2; exit 1; }
done
[ -f "$QBOOT" ] || { echo "stage-config: $QBOOT (the qemu and coco-dev profiles' firmware) is missing: apt-get install qemu-system-data" >&2; exit 1; }
mkdir -p "$SEALPOD_SHARE" "$(dirname "$SEALPOD_CONFIG")"
ln -sfn "$guest/vmlinuz" "$SEALPOD_SHARE/vmlinuz"
ln -sfn "$guest/vmlinux" "$SEALPOD_SHARE/vmlinux"
ln -sfn "$QBOOT" "$SEALPOD_SHARE/qboot.rom"
ln -sfn "$guest/vmlinuz-cloud" "$SEALPOD_SHARE/vmlinuz-cloud"
ln -sfn "$guest/initrd.img" "$SEALPOD_SHARE/sealpod-initrd.img"
ln -sfn "$guest/rootfs.img" "$SEALPOD_SHARE/sealpod-rootfs.img"
sed -e "s#/usr/share/sealpod/#$SEALPOD_SHARE/#g" "$shipped" > "$SEALPOD_CONFIG.tmp"
mv "$SEALPOD_CONFIG.tmp" "$SEALPOD_CONFIG"
echo "$SEALPOD_CONFIG"
