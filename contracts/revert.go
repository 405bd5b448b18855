package contracts

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// ErrUnknownRevert is returned by DecodeRevert for revert data that matches
// no error of any registry contract, nor Error(string) or Panic(uint256).
var ErrUnknownRevert = errors.New("unknown revert data")

var (
	errorsOnce sync.Once
	errorsByID map[[4]byte]abi.Error
	errorsErr  error
)

// customErrors indexes the custom errors of every artifact by selector.
func customErrors() (map[[4]byte]abi.Error, error) {
	errorsOnce.Do(func() {
		errorsByID = make(map[[4]byte]abi.Error)
		for _, name := range Names() {
			parsed, err := MustLoad(name).ParseABI()
			if err != nil {
				errorsErr = fmt.Errorf("contracts: ABI of %s: %w", name, err)
				return
			}
			for _, e := range parsed.Errors {
				errorsByID[[4]byte(e.ID[:4])] = e
			}
		}
	})
	return errorsByID, errorsErr
}

// DecodeRevert turns the data of a revert into "ErrorName(arg, ...)": a
// custom error of any registry contract (NotIssuer(0x...),
// TransferPending("77:01:1", 0x..., 0x...)), Error("reason") or Panic(0x11).
// Addresses print as checksummed hex, bytes32 values holding a short string
// (department codes, parcel numbers) as that string in quotes, other bytes32
// as hex, integers in decimal.
func DecodeRevert(data []byte) (string, error) {
	if len(data) < 4 {
		if len(data) == 0 {
			return "", fmt.Errorf("%w: empty (a revert without reason, or out of gas)", ErrUnknownRevert)
		}
		return "", fmt.Errorf("%w: have %d bytes %#x, want a 4-byte selector and arguments", ErrUnknownRevert, len(data), data)
	}
	if reason, err := abi.UnpackRevert(data); err == nil {
		if [4]byte(data[:4]) == [4]byte{0x4e, 0x48, 0x7b, 0x71} { // Panic(uint256)
			return fmt.Sprintf("Panic(%q)", reason), nil
		}
		return fmt.Sprintf("Error(%q)", reason), nil
	}
	known, err := customErrors()
	if err != nil {
		return "", err
	}
	e, ok := known[[4]byte(data[:4])]
	if !ok {
		return "", fmt.Errorf("%w: selector %#x is no error of %s", ErrUnknownRevert, data[:4], strings.Join(Names(), ", "))
	}
	values, err := e.Inputs.Unpack(data[4:])
	if err != nil {
		return "", fmt.Errorf("%w: %s arguments: %v", ErrUnknownRevert, e.Name, err)
	}
	args := make([]string, len(values))
	for i, v := range values {
		args[i] = formatArg(v)
	}
	return e.Name + "(" + strings.Join(args, ", ") + ")", nil
}

// formatArg prints one error argument.
func formatArg(v any) string {
	switch v := v.(type) {
	case common.Address:
		return v.Hex()
	case [32]byte:
		if s, ok := shortString(v); ok {
			return fmt.Sprintf("%q", s)
		}
		return hexutil.Encode(v[:])
	case *big.Int:
		return v.String()
	case []byte:
		return hexutil.Encode(v)
	default:
		return fmt.Sprint(v)
	}
}

// shortString reports whether b is a left-aligned printable ASCII string.
func shortString(b [32]byte) (string, bool) {
	s := strings.TrimRight(string(b[:]), "\x00")
	if s == "" {
		return "", false
	}
	for _, c := range []byte(s) {
		if c < 0x20 || c > 0x7e {
			return "", false
		}
	}
	return s, true
}

// RevertData returns the revert data carried by an error from a JSON-RPC
// call or gas estimate (eth_call, eth_estimateGas; what ethclient and the
// abigen bindings return), if it carries any.
func RevertData(err error) ([]byte, bool) {
	var de rpc.DataError
	if !errors.As(err, &de) {
		return nil, false
	}
	s, ok := de.ErrorData().(string)
	if !ok {
		return nil, false
	}
	data, derr := hexutil.Decode(s)
	if derr != nil {
		return nil, false
	}
	return data, true
}

// RevertReason returns "ErrorName(args)" for an error that carries revert
// data, and "" for any other error (or undecodable data).
func RevertReason(err error) string {
	data, ok := RevertData(err)
	if !ok {
		return ""
	}
	s, derr := DecodeRevert(data)
	if derr != nil {
		return ""
	}
	return s
}
