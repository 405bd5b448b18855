package aura

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
)

// Spec is what the verifier takes from a Parity/OpenEthereum chain spec's
// engine.authorityRound.params.
type Spec struct {
	Name string // the chain spec's name, for messages
	// StepDuration is the length of a step in seconds.
	StepDuration uint64
	// Sets are the validator sets, each from its first block (one entry at
	// block 0 unless the spec's validators is a "multi").
	Sets []SetConfig
	// ValidateStepTransition is the first block whose step must be above
	// its parent's (before it, only different); ValidateScoreTransition the
	// first whose difficulty must be the Aura score.
	ValidateStepTransition  uint64
	ValidateScoreTransition uint64
	// ImmediateTransitions verifies each block with the contract's
	// getValidators() after its parent instead of applying signalled
	// changes once final.
	ImmediateTransitions bool
	// TwoThirdsMajorityTransition is the first signalling block whose change
	// needs two thirds of the validators to be final instead of half.
	// (nil: never).
	TwoThirdsMajorityTransition *uint64
}

// SetConfig is one validator set: a list, or a contract (safeContract, or
// contract, which adds misbehaviour reports the follower does not need).
type SetConfig struct {
	From     uint64           // first block it applies to
	List     []common.Address // a fixed list, or
	Contract common.Address   // the contract's address
}

// IsContract tells whether the set is read from a contract.
func (c SetConfig) IsContract() bool { return c.List == nil }

// ParseSpec reads a chain spec as Parity/OpenEthereum takes it (the whole
// file, or only its {"params": ...} authorityRound section). Features the
// verifier does not implement are refused with the field that needs them.
func ParseSpec(data []byte) (*Spec, error) {
	var file struct {
		Name   string `json:"name"`
		Engine struct {
			AuthorityRound *struct {
				Params json.RawMessage `json:"params"`
			} `json:"authorityRound"`
		} `json:"engine"`
		Params json.RawMessage `json:"params"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("chain spec: %w", err)
	}
	params := file.Params
	if file.Engine.AuthorityRound != nil {
		params = file.Engine.AuthorityRound.Params
	} else if bytes.Contains(data, []byte(`"engine"`)) {
		return nil, errors.New("chain spec: engine is not authorityRound (only Aura chain specs are read here)")
	}
	if len(params) == 0 {
		return nil, errors.New("chain spec: no engine.authorityRound.params section")
	}
	s, err := parseParams(params)
	if err != nil {
		return nil, fmt.Errorf("chain spec engine.authorityRound.params: %w", err)
	}
	s.Name = file.Name
	return s, nil
}

type rawParams struct {
	StepDuration            json.RawMessage `json:"stepDuration"`
	Validators              json.RawMessage `json:"validators"`
	ValidateStepTransition  json.RawMessage `json:"validateStepTransition"`
	ValidateScoreTransition json.RawMessage `json:"validateScoreTransition"`
	ImmediateTransitions    bool            `json:"immediateTransitions"`
	TwoThirds               json.RawMessage `json:"twoThirdsMajorityTransition"`
	EmptyStepsTransition    json.RawMessage `json:"emptyStepsTransition"`
	StartStep               json.RawMessage `json:"startStep"`
}

func parseParams(data []byte) (*Spec, error) {
	var p rawParams
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, err
	}
	s := &Spec{ImmediateTransitions: p.ImmediateTransitions}
	var err error
	if s.StepDuration, err = parseStepDuration(p.StepDuration); err != nil {
		return nil, err
	}
	if s.ValidateStepTransition, err = optionalQuantity(p.ValidateStepTransition, "validateStepTransition"); err != nil {
		return nil, err
	}
	if s.ValidateScoreTransition, err = optionalQuantity(p.ValidateScoreTransition, "validateScoreTransition"); err != nil {
		return nil, err
	}
	if len(p.TwoThirds) > 0 {
		n, err := parseQuantity(p.TwoThirds)
		if err != nil {
			return nil, fmt.Errorf("twoThirdsMajorityTransition: %w", err)
		}
		s.TwoThirdsMajorityTransition = &n
	}
	if err := unsupported(p); err != nil {
		return nil, err
	}
	if s.Sets, err = parseValidators(p.Validators, true); err != nil {
		return nil, fmt.Errorf("validators: %w", err)
	}
	return s, nil
}

// unsupported refuses the parameters whose rules the verifier lacks.
func unsupported(p rawParams) error {
	if len(p.EmptyStepsTransition) > 0 {
		return errors.New("emptyStepsTransition is set: Aura empty steps are not supported by this verifier")
	}
	if len(p.StartStep) > 0 {
		return errors.New("startStep is set: it is for test chains only and not supported")
	}
	return nil
}

func parseStepDuration(raw json.RawMessage) (uint64, error) {
	if len(raw) == 0 {
		return 0, errors.New("stepDuration is missing")
	}
	if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		return 0, errors.New("stepDuration changes over time (a map): not supported, only a single duration")
	}
	d, err := parseQuantity(raw)
	if err != nil || d == 0 {
		return 0, fmt.Errorf("stepDuration %s: want a positive number of seconds", raw)
	}
	return d, nil
}

func optionalQuantity(raw json.RawMessage, name string) (uint64, error) {
	if len(raw) == 0 {
		return 0, nil
	}
	n, err := parseQuantity(raw)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return n, nil
}

// parseValidators reads {"list": [...]}, {"safeContract": addr},
// {"contract": addr} or (at the top only) {"multi": {"block": set, ...}}.
func parseValidators(raw json.RawMessage, top bool) ([]SetConfig, error) {
	var v struct {
		List         []common.Address           `json:"list"`
		SafeContract *common.Address            `json:"safeContract"`
		Contract     *common.Address            `json:"contract"`
		Multi        map[string]json.RawMessage `json:"multi"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	switch {
	case v.List != nil:
		if len(v.List) == 0 {
			return nil, errors.New("an empty list")
		}
		return []SetConfig{{List: v.List}}, nil
	case v.SafeContract != nil:
		return []SetConfig{{Contract: *v.SafeContract}}, nil
	case v.Contract != nil:
		return []SetConfig{{Contract: *v.Contract}}, nil
	case v.Multi != nil && top:
		return parseMulti(v.Multi)
	}
	return nil, errors.New(`want one of "list", "safeContract", "contract" or (not nested) "multi"`)
}

func parseMulti(m map[string]json.RawMessage) ([]SetConfig, error) {
	var sets []SetConfig
	for key, raw := range m {
		from, err := parseQuantity(json.RawMessage(strconv.Quote(key)))
		if err != nil {
			return nil, fmt.Errorf("multi: block %q: %w", key, err)
		}
		set, err := parseValidators(raw, false)
		if err != nil {
			return nil, fmt.Errorf("multi %q: %w", key, err)
		}
		set[0].From = from
		sets = append(sets, set[0])
	}
	sort.Slice(sets, func(i, j int) bool { return sets[i].From < sets[j].From })
	if len(sets) == 0 || sets[0].From != 0 {
		return nil, errors.New("multi: no set from block 0")
	}
	for i := 1; i < len(sets); i++ {
		if sets[i].From == sets[i-1].From {
			return nil, fmt.Errorf("multi: two sets from block %d", sets[i].From)
		}
	}
	return sets, nil
}

// SetAt returns the index in Sets of the set that verifies block n.
func (s *Spec) SetAt(n uint64) int {
	i, _ := slices.BinarySearchFunc(s.Sets, n+1, func(c SetConfig, t uint64) int {
		if c.From < t {
			return -1
		}
		return 1
	})
	return i - 1
}
