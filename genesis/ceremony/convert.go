package ceremony

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"

	"github.com/citychain/citychain/genesis"
)

// ErrConvert is returned (wrapped) if a genesis cannot be converted.
var ErrConvert = errors.New("cannot convert genesis")

// geth113Only are chain configuration keys geth 1.13 wrote that go-ethereum
// v1.17 no longer has. None of them enters the genesis hash.
var geth113Only = []string{"terminalTotalDifficultyPassed"}

// Converted is a geth 1.13 Clique genesis moved to citychain.
type Converted struct {
	JSON    []byte      // the citychain genesis file
	Hash    common.Hash // its genesis hash, the same as the input's
	Dropped []string    // geth 1.13 keys v1.17 no longer knows, removed
}

// Convert turns a geth 1.13 Clique genesis into a citychain one: the terminal
// total difficulty sentinel is added to the chain configuration (go-ethereum
// v1.17 refuses a chain without one), keys v1.17 no longer knows are removed,
// and nothing else changes, so the genesis hash stays the same. The result
// passes genesis.Decode's strict checks or Convert says what stands in the way.
func Convert(data []byte) (*Converted, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("%w: not a JSON genesis object: %v", ErrConvert, err)
	}
	var config map[string]json.RawMessage
	if err := json.Unmarshal(top["config"], &config); err != nil || config == nil {
		return nil, fmt.Errorf("%w: no \"config\" object: want a geth Clique genesis with chainId, the forks and a clique section", ErrConvert)
	}
	if _, ok := config["clique"]; !ok {
		return nil, fmt.Errorf("%w: config has no \"clique\" section: only Clique chains move to citychain", ErrConvert)
	}
	if ttd, ok := config["terminalTotalDifficulty"]; ok {
		return nil, fmt.Errorf("%w: config.terminalTotalDifficulty is already set (%s): a geth 1.13 Clique genesis has none; if this is a citychain genesis, use it as it is (`cityctl genesis verify` or `citynode init`)", ErrConvert, ttd)
	}
	before, err := blockHash(data)
	if err != nil {
		return nil, err
	}
	out := &Converted{}
	for _, k := range geth113Only {
		if _, ok := config[k]; ok {
			delete(config, k)
			out.Dropped = append(out.Dropped, "config."+k)
		}
	}
	config["terminalTotalDifficulty"] = json.RawMessage(genesis.TerminalTotalDifficulty().String())
	if top["config"], err = json.Marshal(config); err != nil {
		return nil, err
	}
	edited, err := json.Marshal(top)
	if err != nil {
		return nil, err
	}
	g, err := genesis.Decode(bytes.NewReader(edited))
	if err != nil {
		return nil, fmt.Errorf("%w: the genesis with the sentinel added is not one citychain can run:\n%w", ErrConvert, err)
	}
	out.Hash = g.ToBlock().Hash()
	// Why: the promise is the same chain; a hash change would be a bug here.
	if out.Hash != before {
		return nil, fmt.Errorf("%w: the genesis hash changed from %s to %s", ErrConvert, before.Hex(), out.Hash.Hex())
	}
	if out.JSON, err = Encode(g); err != nil {
		return nil, err
	}
	return out, nil
}

// blockHash decodes a genesis as go-ethereum does (no strict checks) and
// returns its block hash.
func blockHash(data []byte) (common.Hash, error) {
	g := new(core.Genesis)
	if err := json.Unmarshal(data, g); err != nil {
		return common.Hash{}, fmt.Errorf("%w: %v", ErrConvert, err)
	}
	return g.ToBlock().Hash(), nil
}
