package main

import (
	"crypto/sha256"
	"encoding/binary"
	"io/ioutil"
)

// The GUIDs of QEMU's SEV hashes table (EDK2 BlobVerifierSevHashes.c) in their on-disk mixed-endian form.
var (
	tableGUID   = guidLE(0x9438d606, 0x4f22, 0x4cc9, [8]byte{0xb4, 0x79, 0xa7, 0x93, 0xd4, 0x11, 0xfd, 0x21})
	cmdlineGUID = guidLE(0x97d02dd8, 0xbd20, 0x4c94, [8]byte{0xaa, 0x78, 0xe7, 0x71, 0x4d, 0x36, 0xab, 0x2a})
	initrdGUID  = guidLE(0x44baf731, 0x3a2f, 0x4bd7, [8]byte{0x9a, 0xf1, 0x41, 0xe2, 0x91, 0x69, 0x78, 0x1d})
	kernelGUID  = guidLE(0x4de79437, 0xabd2, 0x427f, [8]byte{0xb8, 0x35, 0xd5, 0xb1, 0x72, 0xd2, 0x04, 0x5b})
)

func guidLE(d1 uint32, d2, d3 uint16, d4 [8]byte) []byte {
	b := make([]byte, 16)
	binary.LittleEndian.PutUint32(b[0:], d1)
	binary.LittleEndian.PutUint16(b[4:], d2)
	binary.LittleEndian.PutUint16(b[6:], d3)
	copy(b[8:], d4[:])
	return b
}

// launchDigest is what the PSP measures for an SEV guest QEMU starts with kernel-hashes=on: SHA-256 of the
// firmware image followed by the hashes table, padded to 16 bytes.
func launchDigest(ovmfPath, kernelPath, initrdPath, cmdline string) ([]byte, error) {
	ovmf, err := ioutil.ReadFile(ovmfPath)
	if err != nil {
		return nil, err
	}
	kernel, err := ioutil.ReadFile(kernelPath)
	if err != nil {
		return nil, err
	}
	var initrd []byte
	if initrdPath != "" {
		if initrd, err = ioutil.ReadFile(initrdPath); err != nil {
			return nil, err
		}
	}

	kernelHash := sha256.Sum256(kernel)
	initrdHash := sha256.Sum256(initrd)
	cmdlineHash := sha256.Sum256(append([]byte(cmdline), 0))

	const entryLen = 16 + 2 + 32
	const tableLen = 16 + 2 + 3*entryLen
	table := make([]byte, 0, (tableLen+15)&^15)
	table = append(table, tableGUID...)
	table = binary.LittleEndian.AppendUint16(table, tableLen)
	for _, e := range []struct {
		guid []byte
		hash [32]byte
	}{{cmdlineGUID, cmdlineHash}, {initrdGUID, initrdHash}, {kernelGUID, kernelHash}} {
		table = append(table, e.guid...)
		table = binary.LittleEndian.AppendUint16(table, entryLen)
		table = append(table, e.hash[:]...)
	}
	for len(table)%16 != 0 {
		table = append(table, 0)
	}

	h := sha256.New()
	h.Write(ovmf)
	h.Write(table)
	return h.Sum(nil), nil
}
