# Sourced by the other scripts: where the private containerd and its shim live.
# Everything is under the build folder; nothing touches the system containerd.
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
CTRD_DIR=${CTRD_DIR:-$BUILD/containerd}            # root, state, socket, log, config of the private containerd
CTRD_SOCK=$CTRD_DIR/containerd.sock
CTRD_NS=${CTRD_NS:-sealpod}
SHIM_DIR=${SHIM_DIR:-$BUILD/shim}                    # containerd-shim-sealpod-v2 (NativeAOT), put first on containerd's PATH
SNAPSHOTTER_DIR=${SNAPSHOTTER_DIR:-$BUILD/snapshotter}     # sealpod-snapshotter (NativeAOT), what make install ships
SEALPOD_SHARE=${SEALPOD_SHARE:-$BUILD/share/sealpod}  # staged /usr/share/sealpod: vmlinux, vmlinuz, sealpod-initrd.img, qboot.rom
SEALPOD_CONFIG=${SEALPOD_CONFIG:-$BUILD/configuration-qemu-coco-dev.toml}
QBOOT=${QBOOT:-/usr/share/qemu/qboot.rom}           # QEMU's qboot (qemu-system-data): the qemu and coco-dev profiles' firmware
# The shim's own directories for this containerd: sandbox sockets and logs (removed with it), and the
# rootfs image and accelerator caches (kept between runs: they only save time).
SHIM_RUN_DIR=$CTRD_DIR/sealpod
SHIM_STATE_DIR=${SHIM_STATE_DIR:-$BUILD/sealpod-state}
ctr_() { ctr --address "$CTRD_SOCK" -n "$CTRD_NS" "$@"; }
