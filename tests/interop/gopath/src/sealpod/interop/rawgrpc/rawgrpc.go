// Package rawgrpc is what Sealpod's Go gRPC peers share: a codec that hands message bytes through untouched,
// and protowire helpers to read and write the few fields a peer needs, so that a peer never shares a schema
// with the client under test. Built in GOPATH mode against Debian's grpc-go 1.33
// (GOPATH=/usr/share/gocode:<repo>/tests/interop/gopath).
package rawgrpc

import (
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"
)

// Codec hands message bytes through untouched, in both directions; messages are *[]byte.
type Codec struct{}

// Marshal returns the bytes v points to.
func (Codec) Marshal(v interface{}) ([]byte, error) {
	b, ok := v.(*[]byte)
	if !ok {
		return nil, fmt.Errorf("raw codec cannot marshal %T", v)
	}
	return *b, nil
}

// Unmarshal copies data into the slice v points to.
func (Codec) Unmarshal(data []byte, v interface{}) error {
	b, ok := v.(*[]byte)
	if !ok {
		return fmt.Errorf("raw codec cannot unmarshal into %T", v)
	}
	*b = append([]byte(nil), data...)
	return nil
}

// String names the codec.
func (Codec) String() string { return "raw" }

// EachField calls visit for every varint and length-delimited field of a message, in order: value for
// length-delimited fields, varint for varint ones. Other wire types are skipped. A malformed message is an
// InvalidArgument status, as a real server's decode error would be.
func EachField(data []byte, visit func(num protowire.Number, typ protowire.Type, value []byte, varint uint64)) error {
	for len(data) > 0 {
		num, typ, n := protowire.ConsumeTag(data)
		if n < 0 {
			return invalid(n)
		}
		data = data[n:]
		switch typ {
		case protowire.VarintType:
			v, m := protowire.ConsumeVarint(data)
			if m < 0 {
				return invalid(m)
			}
			visit(num, typ, nil, v)
			data = data[m:]
		case protowire.BytesType:
			v, m := protowire.ConsumeBytes(data)
			if m < 0 {
				return invalid(m)
			}
			visit(num, typ, v, 0)
			data = data[m:]
		default:
			m := protowire.ConsumeFieldValue(num, typ, data)
			if m < 0 {
				return invalid(m)
			}
			data = data[m:]
		}
	}
	return nil
}

// AppendString appends a length-delimited string field.
func AppendString(out []byte, num protowire.Number, value string) []byte {
	out = protowire.AppendTag(out, num, protowire.BytesType)
	return protowire.AppendString(out, value)
}

func invalid(n int) error {
	return status.Error(codes.InvalidArgument, protowire.ParseError(n).Error())
}
