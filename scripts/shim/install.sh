#!/usr/bin/env bash
# `make install`: the NativeAOT shim to /usr/local/bin (on containerd's PATH, so runtime_type
# io.containerd.sealpod.v2 finds it), sealpod-snapshotter (NativeAOT) and the nydus-overlayfs mount helper beside it,
# sealpod-snapshotter.service to /usr/local/lib/systemd/system, the configurations to /usr/share/defaults/sealpod (configuration.toml,
# the default the search order ends with, is the coco-dev one), the guest kernels (vmlinuz: Sealpod's own,
# vmlinux: the same uncompressed, booted at its PVH entry point; vmlinuz-cloud: the Debian cloud kernel), the root disk image (sealpod-rootfs.img, the qemu and coco-dev
# profiles' guest root) and initrd to /usr/share/sealpod.
# DESTDIR stages the tree elsewhere (packaging).
set -euo pipefail
. "$(dirname "$0")/containerd-env.sh"
dest=${DESTDIR:-}
guest=${GUEST_OUT:-$BUILD/guest}
[ -x "$SHIM_DIR/containerd-shim-sealpod-v2" ] || { echo "install: $SHIM_DIR/containerd-shim-sealpod-v2 is missing (make shim-aot)" >&2; exit 1; }
[ -x "$SNAPSHOTTER_DIR/sealpod-snapshotter" ] || { echo "install: $SNAPSHOTTER_DIR/sealpod-snapshotter is missing (make snapshotter-aot)" >&2; exit 1; }
for f in vmlinuz vmlinux vmlinuz-cloud initrd.img rootfs.img; do
  [ -f "$guest/$f" ] || { echo "install: $guest/$f is missing (make guest)" >&2; exit 1; }
done
[ -f "$QBOOT" ] || { echo "install: $QBOOT (the qemu and coco-dev profiles' firmware) is missing: apt-get install qemu-system-data" >&2; exit 1; }

install -D -m 0755 "$SHIM_DIR/containerd-shim-sealpod-v2" "$dest/usr/local/bin/containerd-shim-sealpod-v2"
# Host mount helper for sealpod-snapshotter's fuse.nydus-overlayfs snapshots (mount.fuse, from fuse3, runs it).
install -D -m 0755 "$ROOT/src/Snapshotter/MountHelper/nydus-overlayfs" "$dest/usr/local/bin/nydus-overlayfs"
# Guest pull without the host ever holding a layer: the snapshotter and its unit (its socket is the one
# `sealpod containerd-config --guest-pull` names).
install -D -m 0755 "$SNAPSHOTTER_DIR/sealpod-snapshotter" "$dest/usr/local/bin/sealpod-snapshotter"
install -D -m 0644 "$ROOT/src/Snapshotter/Install/sealpod-snapshotter.service" "$dest/usr/local/lib/systemd/system/sealpod-snapshotter.service"
install -d -m 0755 "$dest/usr/share/defaults/sealpod"
for config in "$ROOT"/configs/*.toml; do
  install -m 0644 "$config" "$dest/usr/share/defaults/sealpod/$(basename "$config")"
done
ln -sfn configuration-qemu-coco-dev.toml "$dest/usr/share/defaults/sealpod/configuration.toml"
install -D -m 0644 "$guest/vmlinuz" "$dest/usr/share/sealpod/vmlinuz"
install -D -m 0644 "$guest/vmlinux" "$dest/usr/share/sealpod/vmlinux"
# QEMU's qboot, the qemu and coco-dev profiles' firmware: a link, so it stays the one QEMU's package updates.
ln -sfn "$QBOOT" "$dest/usr/share/sealpod/qboot.rom"
install -D -m 0644 "$guest/vmlinuz-cloud" "$dest/usr/share/sealpod/vmlinuz-cloud"
install -D -m 0644 "$guest/initrd.img" "$dest/usr/share/sealpod/sealpod-initrd.img"
install -D -m 0644 "$guest/rootfs.img" "$dest/usr/share/sealpod/sealpod-rootfs.img"

cat <<MSG
installed:
  $dest/usr/local/bin/{containerd-shim-sealpod-v2,sealpod-snapshotter,nydus-overlayfs}
  $dest/usr/local/lib/systemd/system/sealpod-snapshotter.service
  $dest/usr/share/defaults/sealpod/{$(cd "$ROOT/configs" && ls *.toml | paste -sd,),configuration.toml -> configuration-qemu-coco-dev.toml}
  $dest/usr/share/sealpod/{vmlinuz,vmlinux,vmlinuz-cloud,sealpod-initrd.img,sealpod-rootfs.img,qboot.rom -> $QBOOT}
To use it from Kubernetes, add to /etc/containerd/config.toml and restart containerd:
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.sealpod]
    runtime_type = "io.containerd.sealpod.v2"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.sealpod.options]
    ConfigPath = "/usr/share/defaults/sealpod/configuration-qemu-coco-dev.toml"
From ctr: ctr run --runtime io.containerd.sealpod.v2 IMAGE ID CMD
Images pulled in the guest only (the host never holds a layer): systemctl daemon-reload &&
systemctl enable --now sealpod-snapshotter, then add what `sealpod containerd-config --guest-pull` prints.
MSG
