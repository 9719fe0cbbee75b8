package main

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"
	"sealpod/interop/rawgrpc"
)

type session struct {
	policy uint32
	tik    []byte
}

type broker struct {
	digest []byte
	keyset string
	secret string

	mu       sync.Mutex
	sessions map[string]session
}

func newBroker(digest []byte, keyset, secret string) *broker {
	return &broker{digest: digest, keyset: keyset, secret: secret, sessions: map[string]session{}}
}

func base64Std(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func (b *broker) handle(_ interface{}, stream grpc.ServerStream) error {
	method, _ := grpc.MethodFromServerStream(stream)
	var handler func([]byte) ([]byte, error)
	switch method {
	case "/keybroker.KeyBrokerService/GetBundle":
		handler = b.getBundle
	case "/keybroker.KeyBrokerService/GetSecret":
		handler = b.getSecret
	default:
		return status.Errorf(codes.Unimplemented, "unknown method %s", method)
	}

	var request []byte
	if err := stream.RecvMsg(&request); err != nil {
		return err
	}
	response, err := handler(request)
	if err != nil {
		fmt.Fprintf(os.Stderr, "simple-kbs: %s: %v\n", method, err)
		return err
	}
	return stream.SendMsg(&response)
}

// BundleRequest: CertificateChain = 1 (string), Policy = 2 (uint32).
// BundleResponse: GuestOwnerPublicKey = 1, LaunchBlob = 2, LaunchId = 3.
func (b *broker) getBundle(request []byte) ([]byte, error) {
	var chain string
	var policy uint32
	if err := rawgrpc.EachField(request, func(num protowire.Number, _ protowire.Type, value []byte, varint uint64) {
		switch num {
		case 1:
			chain = string(value)
		case 2:
			policy = uint32(varint)
		}
	}); err != nil {
		return nil, err
	}
	if chain == "" {
		return nil, status.Error(codes.InvalidArgument, "Failed to generate launch bundle: empty certificate chain")
	}
	if _, err := base64.StdEncoding.DecodeString(chain); err != nil {
		return nil, status.Error(codes.Internal, "Failed to generate launch bundle: certificate chain is not base64")
	}

	tik := make([]byte, 16)
	idBytes := make([]byte, 16)
	rand.Read(tik)
	rand.Read(idBytes)
	idBytes[6] = idBytes[6]&0x0f | 0x40
	idBytes[8] = idBytes[8]&0x3f | 0x80
	id := fmt.Sprintf("%x-%x-%x-%x-%x", idBytes[0:4], idBytes[4:6], idBytes[6:8], idBytes[8:10], idBytes[10:16])

	b.mu.Lock()
	b.sessions[id] = session{policy: policy, tik: tik}
	b.mu.Unlock()
	fmt.Fprintf(os.Stderr, "simple-kbs: GetBundle policy=0x%x launch=%s\n", policy, id)

	blob, _ := json.Marshal(map[string]string{"tik": base64Std(tik), "policy": fmt.Sprint(policy)})
	var out []byte
	out = rawgrpc.AppendString(out, 1, base64Std([]byte("godh:"+id)))
	out = rawgrpc.AppendString(out, 2, base64Std(blob))
	out = rawgrpc.AppendString(out, 3, id)
	return out, nil
}

type details struct{ guid, format, secretType, id string }

// SecretRequest: LaunchMeasurement = 1, LaunchId = 2, Policy = 3, ApiMajor = 4, ApiMinor = 5, BuildId = 6,
// FwDigest = 7, LaunchDescription = 8, SecretRequests = 9 (RequestDetails: Guid 1, Format 2, SecretType 3, Id 4).
// SecretResponse: LaunchSecretHeader = 1, LaunchSecretData = 2.
func (b *broker) getSecret(request []byte) ([]byte, error) {
	var measurement, launchID, fwDigest string
	var policy, apiMajor, apiMinor, buildID uint32
	var requests []details
	var inner error
	if err := rawgrpc.EachField(request, func(num protowire.Number, _ protowire.Type, value []byte, varint uint64) {
		switch num {
		case 1:
			measurement = string(value)
		case 2:
			launchID = string(value)
		case 3:
			policy = uint32(varint)
		case 4:
			apiMajor = uint32(varint)
		case 5:
			apiMinor = uint32(varint)
		case 6:
			buildID = uint32(varint)
		case 7:
			fwDigest = string(value)
		case 9:
			var d details
			inner = rawgrpc.EachField(value, func(n protowire.Number, _ protowire.Type, v []byte, _ uint64) {
				switch n {
				case 1:
					d.guid = string(v)
				case 2:
					d.format = string(v)
				case 3:
					d.secretType = string(v)
				case 4:
					d.id = string(v)
				}
			})
			requests = append(requests, d)
		}
	}); err != nil {
		return nil, err
	}
	if inner != nil {
		return nil, inner
	}

	b.mu.Lock()
	s, ok := b.sessions[launchID]
	delete(b.sessions, launchID)
	b.mu.Unlock()
	if !ok {
		return nil, status.Errorf(codes.Internal, "Launch ID not found. UUID: %s", launchID)
	}
	if policy != s.policy {
		return nil, status.Errorf(codes.Internal, "Policy validation failed: policy 0x%x is not the bundle's 0x%x", policy, s.policy)
	}
	if fwDigest != base64Std(b.digest) {
		return nil, status.Errorf(codes.Internal, "Policy validation failed: firmware digest %s is not allowed", fwDigest)
	}

	raw, err := base64.StdEncoding.DecodeString(measurement)
	if err != nil || len(raw) != 48 {
		return nil, status.Error(codes.Internal, "Measurement Verification Failed: expected 48 bytes of base64")
	}
	expected := measure(s.tik, apiMajor, apiMinor, buildID, policy, b.digest, raw[32:])
	if !hmac.Equal(expected, raw[:32]) {
		return nil, status.Error(codes.Internal, "Measurement Verification Failed: launch measurement does not match")
	}

	if len(requests) != 1 {
		return nil, status.Errorf(codes.Internal, "Bad secret request: expected one secret, got %d", len(requests))
	}
	d := requests[0]
	if d.format != "json" || d.id != b.keyset || (d.secretType != "bundle" && d.secretType != "connection") {
		return nil, status.Errorf(codes.Internal, "Bad secret request: %s/%s/%s", d.secretType, d.format, d.id)
	}
	fmt.Fprintf(os.Stderr, "simple-kbs: GetSecret launch=%s type=%s guid=%s verified\n", launchID, d.secretType, d.guid)

	payload, _ := json.Marshal(map[string]string{"guid": d.guid, "type": d.secretType, "keyset": d.id, "secret": b.secret})
	header := make([]byte, 52)
	copy(header, []byte("hdr:"+launchID))
	var out []byte
	out = rawgrpc.AppendString(out, 1, base64Std(header))
	out = rawgrpc.AppendString(out, 2, base64Std(payload))
	return out, nil
}

// measure is SEV LAUNCH_MEASURE: HMAC-SHA256 under the TIK of 0x04 | API major | API minor | build | policy (LE) |
// launch digest | MNONCE.
func measure(tik []byte, apiMajor, apiMinor, build, policy uint32, digest, mnonce []byte) []byte {
	m := hmac.New(sha256.New, tik)
	m.Write([]byte{0x04, byte(apiMajor), byte(apiMinor), byte(build)})
	p := make([]byte, 4)
	binary.LittleEndian.PutUint32(p, policy)
	m.Write(p)
	m.Write(digest)
	m.Write(mnonce)
	return m.Sum(nil)
}
