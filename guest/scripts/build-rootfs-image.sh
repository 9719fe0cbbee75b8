#!/bin/bash
# Packs the guest root file system tree (the one build-initrd.sh assembles) into a reproducible root disk image:
# an MBR partition table with one partition, 1 MiB in, holding a read-only erofs file system, the layout of Kata's
# images (the runtime boots it with root=/dev/vda1 rootfstype=erofs).
#
# usage: build-rootfs-image.sh --tree DIR --output FILE [--epoch SECONDS]
#
# Reproducible: erofs gets a fixed UUID and time stamp (-T), every file owner root, and mkfs.erofs lays out
# directories in name order; the partition table is written here byte by byte with a fixed disk signature. The
# same tree gives the same bytes.
set -euo pipefail
umask 022
export LC_ALL=C

tree='' output=''
epoch=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --tree) tree=$2 ;;
        --output) output=$2 ;;
        --epoch) epoch=$2 ;;
        *) echo "build-rootfs-image.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift 2
done

fail() { echo "guest: $*" >&2; exit 1; }

[[ -n $tree && -n $output ]] || fail "build-rootfs-image.sh: --tree and --output are required"
[[ -x $tree/init ]] || fail "$tree holds no guest root (no /init): build the initrd first"
[[ $epoch =~ ^[0-9]+$ ]] || fail "SOURCE_DATE_EPOCH must be a number of seconds, got '$epoch'"
command -v mkfs.erofs >/dev/null || fail "mkfs.erofs is not installed (erofs-utils; make guest-tools)"

# A fixed identity: nothing in the guest looks the root up by UUID or signature, but a random one would change the
# bytes of every build.
uuid=5ea1b0d1-0000-4000-8000-00000000e80f
signature=0x5ea1b0d1
first_sector=2048 # 1 MiB, where partitioning tools align the first partition

fs="$output.fs.tmp"
image="$output.tmp"
trap 'rm -f "$fs" "$image"' EXIT
# Uncompressed: under TCG the guest's decompression is emulated (as for the initrd, GUEST_COMPRESS=none).
# etc/sealpod/initramfs marks the initramfs, from which /init re-roots: the disk is already a mount of its own.
mkfs.erofs --quiet --all-root -T "$epoch" -U "$uuid" --exclude-path=etc/sealpod/initramfs "$fs" "$tree" >/dev/null ||
    fail "mkfs.erofs failed for $tree"

fs_bytes=$(stat -c %s "$fs")
sectors=$(( (fs_bytes + 511) / 512 ))
le32() { printf "\\x$(printf %02x $(($1 & 255)))\\x$(printf %02x $((($1 >> 8) & 255)))\\x$(printf %02x $((($1 >> 16) & 255)))\\x$(printf %02x $((($1 >> 24) & 255)))"; }

truncate -s $(( (first_sector + sectors) * 512 )) "$image"
{
    # Boot code area (440 bytes of zeros: the guest kernel is booted directly), disk signature, 2 reserved bytes.
    head -c 440 /dev/zero
    le32 $((signature))
    printf '\0\0'
    # Partition 1: not bootable, CHS unused (LBA only: 0xfe 0xff 0xff), type 0x83 (Linux), start LBA, sector count.
    printf '\x00\xfe\xff\xff\x83\xfe\xff\xff'
    le32 $first_sector
    le32 $sectors
    # Partitions 2-4 empty, then the boot signature.
    head -c 48 /dev/zero
    printf '\x55\xaa'
} | dd of="$image" conv=notrunc status=none
dd if="$fs" of="$image" bs=512 seek=$first_sector conv=notrunc status=none
mv "$image" "$output"
