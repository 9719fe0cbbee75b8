#!/usr/bin/env bash
# Stages what `make install` puts in /usr/share/sealpod under build/share/sealpod (links to the guest
# build: vmlinuz, sealpod-initrd.img) and writes build/configuration-qemu-coco-dev.toml, the shipped
# coco-dev configuration with /usr/share/sealpod pointing there, so the tree runs without installing.
set -euo pipefail
. "$(dirname "$0")/containerd-env.sh"
guest=${GUEST_OUT:-$BUILD/guest}
for f in vmlinuz initrd.img; do
  [ -f "$guest/$f" ] || { echo "stage-config: $guest/$f is missing (make guest)" >&2; exit 1; }
done
mkdir -p "$SEALPOD_SHARE"
ln -sfn "$guest/vmlinuz" "$SEALPOD_SHARE/vmlinuz"
ln -sfn "$guest/initrd.img" "$SEALPOD_SHARE/sealpod-initrd.img"
# The guest agent mounts image disks given as virtio-blk PCI paths; virtio-scsi addresses (the shipped
# default, Kata's CoCo choice) need its "scsi" storage driver. Until it has one, the staged config uses
# virtio-blk; set BLOCK_DEVICE_DRIVER=virtio-scsi to keep the shipped value.
driver=${BLOCK_DEVICE_DRIVER:-virtio-blk}
sed -e "s#/usr/share/sealpod#$SEALPOD_SHARE#g" \
    -e "s#^block_device_driver = .*#block_device_driver = \"$driver\"#" \
    "$ROOT/configs/configuration-qemu-coco-dev.toml" > "$SEALPOD_CONFIG.tmp"
mv "$SEALPOD_CONFIG.tmp" "$SEALPOD_CONFIG"
echo "$SEALPOD_CONFIG"
