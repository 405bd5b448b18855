package ceremony

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/predeploy"
	"github.com/citychain/citychain/genesis"
)

// ErrMismatch is returned (wrapped) if a genesis file or a node's block 0 is
// not the genesis the network config describes.
var ErrMismatch = errors.New("genesis does not match the network config")

// Verification is the outcome of Verify.
type Verification struct {
	Hash      common.Hash // the genesis hash the config gives
	Identical bool        // the file is byte for byte what `genesis new` writes
}

// Verify recomputes the genesis from cfg and compares it with a genesis
// file's bytes. A file that differs only in formatting passes (Identical is
// false); any difference in content is an error listing each field that
// differs, with the file's value and the config's.
func Verify(cfg *Config, file []byte) (*Verification, error) {
	want, err := Build(cfg)
	if err != nil {
		return nil, err
	}
	v := &Verification{Hash: want.Hash, Identical: bytes.Equal(file, want.JSON)}
	if v.Identical {
		return v, nil
	}
	have, err := genesis.Decode(bytes.NewReader(file))
	if err != nil {
		return nil, fmt.Errorf("%w: the file is not a valid genesis: %w", ErrMismatch, err)
	}
	ext, err := genesis.DecodeExtension(file)
	if err != nil {
		return nil, fmt.Errorf("%w: the file is not a valid genesis: %w", ErrMismatch, err)
	}
	diffs := diff(have, want.Genesis)
	if !ext.Equal(want.Extension) {
		diffs = append(diffs, fmt.Sprintf("config.%s: file has %s, config gives %s", genesis.ExtensionKey, ext, want.Extension))
	}
	if len(diffs) > 0 {
		return nil, fmt.Errorf("%w (file's hash %s, config's %s):\n  %s", ErrMismatch, have.ToBlock().Hash().Hex(), want.Hash.Hex(), joinLines(diffs))
	}
	return v, nil
}

// VerifyNode compares a node's block 0 and chain id with the genesis.
func VerifyNode(ctx context.Context, url string, hash common.Hash, chainID uint64) error {
	client, err := ethclient.DialContext(ctx, url)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", url, err)
	}
	defer client.Close()
	header, err := client.HeaderByNumber(ctx, new(big.Int))
	if err != nil {
		return fmt.Errorf("read block 0 from %s: %w", url, err)
	}
	id, err := client.ChainID(ctx)
	if err != nil {
		return fmt.Errorf("read chain id from %s: %w", url, err)
	}
	var diffs []string
	if header.Hash() != hash {
		diffs = append(diffs, fmt.Sprintf("block 0: node has %s, config gives %s", header.Hash().Hex(), hash.Hex()))
	}
	if !id.IsUint64() || id.Uint64() != chainID {
		diffs = append(diffs, fmt.Sprintf("chain id: node has %v, config gives %d", id, chainID))
	}
	if len(diffs) > 0 {
		return fmt.Errorf("%w: the node at %s runs another chain:\n  %s", ErrMismatch, url, joinLines(diffs))
	}
	return nil
}

// diff lists the fields in which two genesis specifications differ.
func diff(have, want *core.Genesis) []string {
	var out []string
	field := func(name string, h, w any) {
		hj, _ := json.Marshal(h)
		wj, _ := json.Marshal(w)
		if !bytes.Equal(hj, wj) {
			out = append(out, fmt.Sprintf("%s: file has %s, config gives %s", name, hj, wj))
		}
	}
	out = append(out, diffJSON("config", have.Config, want.Config)...)
	field("timestamp", have.Timestamp, want.Timestamp)
	field("extraData (signers)", fmt.Sprintf("%#x", have.ExtraData), fmt.Sprintf("%#x", want.ExtraData))
	field("gasLimit", have.GasLimit, want.GasLimit)
	field("difficulty", have.Difficulty, want.Difficulty)
	field("baseFeePerGas", have.BaseFee, want.BaseFee)
	field("coinbase", have.Coinbase, want.Coinbase)
	field("mixHash", have.Mixhash, want.Mixhash)
	field("nonce", have.Nonce, want.Nonce)
	return append(out, diffAlloc(have, want)...)
}

// diffAlloc lists the accounts that differ, down to storage slots, naming
// the registry contracts.
func diffAlloc(have, want *core.Genesis) []string {
	names := map[common.Address]string{}
	for name, addr := range predeploy.Addresses() {
		names[addr] = " (" + name + ": the registry's departments, signers or role holders differ)"
	}
	// A genesis made before Anchors was pre-deployed lacks only Anchors.
	names[contracts.AnchorsAddress] = " (Anchors, pre-deployed in genesis files made since it was added: a network whose genesis predates it sets `anchors = false` under [registry]; ADR 061)"
	var out []string
	addrs := slices.SortedFunc(maps.Keys(have.Alloc), common.Address.Cmp)
	for _, a := range slices.SortedFunc(maps.Keys(want.Alloc), common.Address.Cmp) {
		if _, ok := have.Alloc[a]; !ok {
			addrs = append(addrs, a)
		}
	}
	for _, a := range addrs {
		h, inHave := have.Alloc[a]
		w, inWant := want.Alloc[a]
		key := "alloc[" + a.Hex() + "]"
		switch {
		case !inWant:
			out = append(out, key+": in the file, not in the config")
			continue
		case !inHave:
			out = append(out, key+names[a]+": in the config, missing from the file")
			continue
		}
		if h.Balance.Cmp(w.Balance) != 0 {
			out = append(out, fmt.Sprintf("%s.balance: file has %v, config gives %v", key, h.Balance, w.Balance))
		}
		if h.Nonce != w.Nonce {
			out = append(out, fmt.Sprintf("%s.nonce: file has %d, config gives %d", key, h.Nonce, w.Nonce))
		}
		if !bytes.Equal(h.Code, w.Code) {
			out = append(out, key+names[a]+".code differs")
		}
		slots := maps.Clone(h.Storage)
		if slots == nil {
			slots = map[common.Hash]common.Hash{}
		}
		maps.Copy(slots, w.Storage)
		for _, s := range slices.SortedFunc(maps.Keys(slots), common.Hash.Cmp) {
			if h.Storage[s] != w.Storage[s] {
				out = append(out, fmt.Sprintf("%s%s.storage[%s]: file has %s, config gives %s", key, names[a], s.Hex(), h.Storage[s].Hex(), w.Storage[s].Hex()))
			}
		}
	}
	return out
}

func joinLines(lines []string) string {
	var b bytes.Buffer
	for i, l := range lines {
		if i > 0 {
			b.WriteString("\n  ")
		}
		b.WriteString(l)
	}
	return b.String()
}

// diffJSON lists the leaves of two JSON encodings that differ, by path
// (config.clique.period): the chain configuration is not part of the block
// hash, so two genesis files can share a hash and still run other rules.
func diffJSON(name string, have, want any) []string {
	flat := func(v any) map[string]string {
		data, _ := json.Marshal(v)
		var tree any
		_ = json.Unmarshal(data, &tree)
		out := map[string]string{}
		var walk func(path string, v any)
		walk = func(path string, v any) {
			if m, ok := v.(map[string]any); ok {
				for k, c := range m {
					walk(path+"."+k, c)
				}
				return
			}
			leaf, _ := json.Marshal(v)
			out[path] = string(leaf)
		}
		walk(name, tree)
		return out
	}
	h, w := flat(have), flat(want)
	keys := maps.Clone(h)
	maps.Copy(keys, w)
	var out []string
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		hv, inH := h[k]
		wv, inW := w[k]
		switch {
		case !inW:
			out = append(out, fmt.Sprintf("%s: file has %s, config gives nothing", k, hv))
		case !inH:
			out = append(out, fmt.Sprintf("%s: file has nothing, config gives %s", k, wv))
		case hv != wv:
			out = append(out, fmt.Sprintf("%s: file has %s, config gives %s", k, hv, wv))
		}
	}
	return out
}
