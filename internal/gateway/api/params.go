package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

// BlockRef names the block an answer was read at.
type BlockRef struct {
	Number uint64      `json:"number"`
	Hash   common.Hash `json:"hash"`
	Time   uint64      `json:"time"` // seconds since the Unix epoch
}

func refOf(v upstream.View) BlockRef {
	return BlockRef{Number: v.Block.Number, Hash: v.Block.Hash, Time: v.Block.Time}
}

// hashParam reads a 32-byte hash path parameter.
func hashParam(r *http.Request, name string) (common.Hash, error) {
	s := r.PathValue(name)
	b, err := hexutil.Decode(s)
	if err != nil || len(b) != common.HashLength {
		return common.Hash{}, badInput("%s %q: want 0x and 64 hex digits (a keccak256 hash)", name, s)
	}
	return common.BytesToHash(b), nil
}

// addressParam reads an address path parameter.
func addressParam(r *http.Request, name string) (common.Address, error) {
	s := r.PathValue(name)
	if !common.IsHexAddress(s) || !strings.HasPrefix(s, "0x") {
		return common.Address{}, badInput("%s %q: want 0x and 40 hex digits (an account address)", name, s)
	}
	return common.HexToAddress(s), nil
}

// idParam reads a number path parameter of a contract's record (from 1).
func idParam(r *http.Request, name string) (uint64, error) {
	s := r.PathValue(name)
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 {
		return 0, badInput("%s %q: want a whole number from 1", name, s)
	}
	return n, nil
}

// code32Param reads a short code path parameter (a cadastral number).
func code32Param(r *http.Request, name string) (string, error) {
	s := r.PathValue(name)
	if _, err := contracts.Bytes32(s); err != nil || s == "" {
		return "", badInput("%s %q: want 1 to 32 bytes of text", name, s)
	}
	return s, nil
}

// pageParams reads ?from= (default 1) and ?limit= (default def, at most most).
func pageParams(r *http.Request, def, most uint64) (from, limit uint64, err error) {
	from, limit = 1, def
	q := r.URL.Query()
	if s := q.Get("from"); s != "" {
		if from, err = strconv.ParseUint(s, 10, 64); err != nil || from == 0 {
			return 0, 0, badInput("?from=%q: want a whole number from 1", s)
		}
	}
	if s := q.Get("limit"); s != "" {
		if limit, err = strconv.ParseUint(s, 10, 64); err != nil || limit == 0 || limit > most {
			return 0, 0, badInput("?limit=%q: want 1 to %d", s, most)
		}
	}
	return from, limit, nil
}

// uintQuery reads an optional whole-number query parameter.
func uintQuery(r *http.Request, name string) (uint64, bool, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, false, badInput("?%s=%q: want a whole number", name, s)
	}
	return n, true, nil
}
