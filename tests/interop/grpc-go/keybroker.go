package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"
	"sealpod/interop/rawgrpc"
)

// The simple-kbs field numbers (keybroker.proto), read and written by hand so that this
// side does not share a schema with the client under test.
const (
	bundleRequestCertificateChain = 1
	bundleRequestPolicy           = 2

	bundleResponseGuestOwnerPublicKey = 1
	bundleResponseLaunchBlob          = 2
	bundleResponseLaunchID            = 3

	secretRequestLaunchID       = 2
	secretRequestPolicy         = 3
	secretRequestSecretRequests = 9

	requestDetailsGUID = 1
	requestDetailsID   = 4

	secretResponseHeader = 1
	secretResponseData   = 2
)

// launchID is the GUID every bundle of this stand-in is issued under.
const launchID = "7d3c6a5e-1b2f-4c8d-9e0a-5f6b7c8d9e0f"

// getBundle answers with a key named after the policy and a blob derived from the chain.
func getBundle(_ context.Context, request []byte) ([]byte, error) {
	var chain string
	var policy uint64
	err := rawgrpc.EachField(request, func(num protowire.Number, typ protowire.Type, value []byte, varint uint64) {
		switch {
		case num == bundleRequestCertificateChain && typ == protowire.BytesType:
			chain = string(value)
		case num == bundleRequestPolicy && typ == protowire.VarintType:
			policy = varint
		}
	})
	if err != nil {
		return nil, err
	}
	if chain == "" {
		return nil, status.Error(codes.InvalidArgument, "CertificateChain is empty")
	}
	digest := sha256.Sum256([]byte(chain))
	var out []byte
	out = rawgrpc.AppendString(out, bundleResponseGuestOwnerPublicKey, fmt.Sprintf("godh-for-policy-0x%x", policy))
	out = rawgrpc.AppendString(out, bundleResponseLaunchBlob, hex.EncodeToString(digest[:]))
	out = rawgrpc.AppendString(out, bundleResponseLaunchID, launchID)
	return out, nil
}

// getSecret checks the launch id and lists the requested secret ids back.
func getSecret(_ context.Context, request []byte) ([]byte, error) {
	var id string
	var policy uint64
	var requested []string
	err := rawgrpc.EachField(request, func(num protowire.Number, typ protowire.Type, value []byte, varint uint64) {
		switch {
		case num == secretRequestLaunchID && typ == protowire.BytesType:
			id = string(value)
		case num == secretRequestPolicy && typ == protowire.VarintType:
			policy = varint
		case num == secretRequestSecretRequests && typ == protowire.BytesType:
			var guid, secretID string
			rawgrpc.EachField(value, func(n protowire.Number, t protowire.Type, v []byte, _ uint64) {
				if t == protowire.BytesType && n == requestDetailsGUID {
					guid = string(v)
				}
				if t == protowire.BytesType && n == requestDetailsID {
					secretID = string(v)
				}
			})
			requested = append(requested, guid+"/"+secretID)
		}
	})
	if err != nil {
		return nil, err
	}
	if id != launchID {
		return nil, status.Errorf(codes.NotFound, "unknown launch id %q", id)
	}
	var out []byte
	out = rawgrpc.AppendString(out, secretResponseHeader, fmt.Sprintf("header-policy-0x%x", policy))
	out = rawgrpc.AppendString(out, secretResponseData, strings.Join(requested, ","))
	return out, nil
}
