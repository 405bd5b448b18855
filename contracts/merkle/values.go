package merkle

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// errUnsupported is returned for a leaf encoding type this package does not
// read or write (arrays, tuples, functions).
var errUnsupported = errors.New("unsupported leaf type: want address, bool, string, bytes, bytes1 to bytes32, uint8 to uint256 or int8 to int256")

var bigIntType = reflect.TypeFor[*big.Int]()

// parseEncoding returns the ABI arguments of a leaf encoding.
func parseEncoding(types []string) (abi.Arguments, error) {
	if len(types) == 0 {
		return nil, errors.New("empty leaf encoding")
	}
	args := make(abi.Arguments, len(types))
	for i, s := range types {
		t, err := abi.NewType(s, "", nil)
		if err != nil {
			return nil, fmt.Errorf("leaf type %q: %v", s, err)
		}
		switch {
		case t.T == abi.AddressTy, t.T == abi.BoolTy, t.T == abi.StringTy, t.T == abi.BytesTy:
		case t.T == abi.FixedBytesTy && t.Size >= 1 && t.Size <= 32:
		case (t.T == abi.UintTy || t.T == abi.IntTy) && t.Size >= 8 && t.Size <= 256 && t.Size%8 == 0:
		default:
			return nil, fmt.Errorf("leaf type %q: %w", s, errUnsupported)
		}
		args[i] = abi.Argument{Type: t}
	}
	return args, nil
}

// decodeValue reads one field of a dump's value as the Go value abi packs
// for t. Integers may be decimal or 0x-hex strings or JSON numbers, as
// @openzeppelin/merkle-tree accepts them.
func decodeValue(t abi.Type, raw json.RawMessage) (any, error) {
	switch t.T {
	case abi.BoolTy:
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return nil, fmt.Errorf("%s: want true or false", raw)
		}
		return b, nil
	case abi.UintTy, abi.IntTy:
		return decodeInt(t, raw)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("%s: want a string", raw)
	}
	switch t.T {
	case abi.AddressTy:
		if !strings.HasPrefix(s, "0x") || !common.IsHexAddress(s) {
			return nil, fmt.Errorf("%q is no address: want 0x and 40 hex digits", s)
		}
		return common.HexToAddress(s), nil
	case abi.StringTy:
		return s, nil
	case abi.BytesTy:
		b, err := hexutil.Decode(s)
		if err != nil {
			return nil, fmt.Errorf("%q: %v", s, err)
		}
		return b, nil
	case abi.FixedBytesTy:
		b, err := hexutil.Decode(s)
		if err != nil || len(b) != t.Size {
			return nil, fmt.Errorf("%q: want 0x and %d hex digits", s, 2*t.Size)
		}
		v := reflect.New(t.GetType()).Elem()
		reflect.Copy(v, reflect.ValueOf(b))
		return v.Interface(), nil
	}
	return nil, errUnsupported
}

// decodeInt reads an integer field and checks it fits t.
func decodeInt(t abi.Type, raw json.RawMessage) (any, error) {
	text := string(raw)
	var s string
	if json.Unmarshal(raw, &s) == nil {
		text = s
	}
	n, ok := new(big.Int), false
	if hex, found := strings.CutPrefix(text, "0x"); found {
		if hex != "" && hex[0] != '-' && hex[0] != '+' {
			n, ok = n.SetString(hex, 16)
		}
	} else if text != "" && !strings.HasPrefix(text, "+") {
		n, ok = n.SetString(text, 10)
	}
	if !ok {
		return nil, fmt.Errorf("%s is no integer: want a decimal or 0x-hex string", raw)
	}
	lo, hi := new(big.Int), new(big.Int).Lsh(big.NewInt(1), uint(t.Size)) // [lo, hi)
	if t.T == abi.IntTy {
		hi.Rsh(hi, 1)
		lo.Neg(hi)
	}
	if n.Cmp(lo) < 0 || n.Cmp(hi) >= 0 {
		return nil, fmt.Errorf("%s is out of range of %s", raw, t)
	}
	typ := t.GetType()
	if typ == bigIntType {
		return n, nil
	}
	v := reflect.New(typ).Elem()
	if t.T == abi.UintTy {
		v.SetUint(n.Uint64())
	} else {
		v.SetInt(n.Int64())
	}
	return v.Interface(), nil
}

// encodeValue writes one field of a value as a dump holds it.
func encodeValue(t abi.Type, v any) (json.RawMessage, error) {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || rv.Type() != t.GetType() {
		return nil, fmt.Errorf("have Go type %T, want %v for %s", v, t.GetType(), t)
	}
	var out any
	switch t.T {
	case abi.AddressTy:
		out = v.(common.Address).Hex()
	case abi.BoolTy, abi.StringTy:
		out = v
	case abi.BytesTy:
		out = hexutil.Encode(v.([]byte))
	case abi.FixedBytesTy:
		b := make([]byte, t.Size)
		reflect.Copy(reflect.ValueOf(b), rv)
		out = hexutil.Encode(b)
	case abi.UintTy, abi.IntTy:
		if n, ok := v.(*big.Int); ok {
			out = n.String()
		} else {
			out = fmt.Sprint(v)
		}
	default:
		return nil, errUnsupported
	}
	return json.Marshal(out)
}
