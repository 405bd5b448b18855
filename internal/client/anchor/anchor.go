// Package anchor is the client of the Anchors contract (ADR 061): it deploys
// it and registers it in the Directory, registers an external Clique chain
// read over its JSON-RPC, reads what is anchored and posts header spans.
package anchor

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/anchors"
	"github.com/citychain/citychain/contracts/bindings/directory"
	"github.com/citychain/citychain/internal/client/registry"
)

// ServiceName is the Directory service Anchors is registered as.
const ServiceName = registry.AnchorsService

// Consensus kinds of a registered chain, as the contract numbers them.
const (
	Clique uint8 = 1
	Aura   uint8 = 2
)

// ErrNotDeployed is returned if the Directory names no Anchors contract.
var ErrNotDeployed = errors.New("no Anchors contract is registered in the Directory: the city admin runs `cityctl anchor deploy` first")

var (
	abiAnchors = anchors.NewAnchors()
	abiDir     = directory.NewDirectory()
)

// Contract is the Anchors contract at Address, reached through a registry
// client (reads, and transactions signed with its key).
type Contract struct {
	c       *registry.Client
	Address common.Address
}

// Find returns the Anchors contract the Directory names as service "anchors".
func Find(ctx context.Context, c *registry.Client) (*Contract, error) {
	name, _ := contracts.Bytes32(ServiceName)
	out, err := c.Call(ctx, "Directory.service", contracts.DirectoryAddress, abiDir.PackService(name))
	if err != nil {
		return nil, err
	}
	svc, err := abiDir.UnpackService(out)
	if err != nil {
		return nil, fmt.Errorf("Directory.service: %w", err)
	}
	if svc.Implementation == (common.Address{}) {
		return nil, ErrNotDeployed
	}
	return &Contract{c: c, Address: svc.Implementation}, nil
}

// Deploy deploys Anchors with the Directory's address and registers it in
// the Directory as service "anchors" (two transactions of the city admin).
// An Anchors already registered is returned as it is, with existing set.
func Deploy(ctx context.Context, c *registry.Client) (a *Contract, existing bool, err error) {
	if a, err := Find(ctx, c); err == nil {
		return a, true, nil
	} else if !errors.Is(err, ErrNotDeployed) {
		return nil, false, err
	}
	code := append(append([]byte{}, contracts.MustLoad(contracts.AnchorsName).Bytecode...), abiAnchors.PackConstructor(contracts.DirectoryAddress)...)
	if _, addr, err := c.Create(ctx, "deploy Anchors", code); err != nil {
		return nil, false, err
	} else {
		a = &Contract{c: c, Address: addr}
	}
	name, _ := contracts.Bytes32(ServiceName)
	if _, err := c.Send(ctx, "Directory.setService", contracts.DirectoryAddress, abiDir.PackSetService(name, a.Address)); err != nil {
		return nil, false, fmt.Errorf("Anchors deployed at %s but not registered in the Directory: %w", a.Address.Hex(), err)
	}
	return a, false, nil
}

// Registration is what the city admin registers for an external chain.
type Registration struct {
	ChainID    uint64           `json:"chainId"`
	Genesis    common.Hash      `json:"genesisHash"`
	Consensus  string           `json:"consensus"` // "clique" (also when empty) or "aura"
	Epoch      uint64           `json:"epoch"`     // Clique's epoch; an Aura chain's step duration
	Checkpoint Checkpoint       `json:"checkpoint"`
	Signers    []common.Address `json:"signers"`
}

// Checkpoint is an anchored checkpoint of an external chain.
type Checkpoint struct {
	Number       uint64         `json:"number"`
	Hash         common.Hash    `json:"hash"`
	StateRoot    common.Hash    `json:"stateRoot"`
	ReceiptsRoot common.Hash    `json:"receiptsRoot"`
	Sealer       common.Address `json:"sealer"`
	AnchoredAt   uint64         `json:"anchoredAt"` // the citychain block
}

// Register registers the chain r (city admin).
func (a *Contract) Register(ctx context.Context, r Registration) (*registry.Tx, error) {
	cp := r.Checkpoint
	trusted := anchors.AnchorsTrusted{Number: cp.Number, Hash: cp.Hash, StateRoot: cp.StateRoot, ReceiptsRoot: cp.ReceiptsRoot}
	kind := Clique
	if r.Consensus == consensusName(Aura) {
		kind = Aura
	}
	data := abiAnchors.PackRegister(new(big.Int).SetUint64(r.ChainID), r.Genesis, kind, r.Epoch, trusted, r.Signers)
	return a.c.Send(ctx, "Anchors.register", a.Address, data)
}

// Post posts the RLP headers after the anchored checkpoint from (relayer).
func (a *Contract) Post(ctx context.Context, chainID, from uint64, headers [][]byte) (*registry.Tx, error) {
	data := abiAnchors.PackPost(new(big.Int).SetUint64(chainID), from, headers)
	return a.c.Send(ctx, fmt.Sprintf("Anchors.post(%d..%d)", from+1, from+uint64(len(headers))), a.Address, data)
}

// PostSetChange posts an Aura span with the validator-set change after its
// last header (relayer, ADR 080).
func (a *Contract) PostSetChange(ctx context.Context, chainID, from uint64, headers [][]byte, c *SetChange) (*registry.Tx, error) {
	data := abiAnchors.PackPostSetChange(new(big.Int).SetUint64(chainID), from, headers, c.Signal, c.Set)
	return a.c.Send(ctx, fmt.Sprintf("Anchors.postSetChange(%d..%d, %d validators)", from+1, from+uint64(len(headers)), len(c.Set)), a.Address, data)
}

// RecordedSet is an Aura validator set Anchors recorded: the set sealing
// from block Number + 1, and the block that signalled it (0 if none was
// checked); the first is the registration's.
type RecordedSet struct {
	Number uint64           `json:"number"`
	Signal uint64           `json:"signal"`
	Set    []common.Address `json:"set"`
}

// SetChanges reads the Aura validator sets Anchors recorded for chainID,
// oldest first.
func (a *Contract) SetChanges(ctx context.Context, chainID uint64) ([]RecordedSet, error) {
	out, err := a.c.Call(ctx, "Anchors.setChanges", a.Address, abiAnchors.PackSetChanges(new(big.Int).SetUint64(chainID)))
	if err != nil {
		return nil, err
	}
	list, err := abiAnchors.UnpackSetChanges(out)
	if err != nil {
		return nil, fmt.Errorf("Anchors.setChanges: %w", err)
	}
	sets := make([]RecordedSet, len(list))
	for i, c := range list {
		sets[i] = RecordedSet{Number: c.Number, Signal: c.Signal, Set: c.Set}
	}
	return sets, nil
}

// Status is what Anchors holds for one chain.
type Status struct {
	Anchors    common.Address   `json:"anchors"` // the contract
	ChainID    uint64           `json:"chainId"`
	Genesis    common.Hash      `json:"genesisHash"`
	Consensus  string           `json:"consensus"`
	Epoch      uint64           `json:"epoch"`
	Trusted    uint64           `json:"trusted"`
	Latest     Checkpoint       `json:"latest"`
	Validators []common.Address `json:"validators"`
	Votes      []Vote           `json:"votes"`      // Clique votes pending since the last epoch header
	Conflicted bool             `json:"conflicted"` // the latest checkpoint has a conflicting one
	// SetChanges are an Aura chain's validator sets as Anchors recorded
	// them: the registration's, then each change posted (ADR 080).
	SetChanges []RecordedSet `json:"setChanges,omitempty"`
}

// ErrUnknownChain is returned by Status for a chain id Anchors does not hold.
var ErrUnknownChain = errors.New("chain not registered in Anchors")

// Status reads the registration, latest checkpoint and validators of chainID.
func (a *Contract) Status(ctx context.Context, chainID uint64) (*Status, error) {
	id := new(big.Int).SetUint64(chainID)
	out, err := a.c.Call(ctx, "Anchors.chain", a.Address, abiAnchors.PackChain(id))
	if err != nil {
		return nil, err
	}
	ch, err := abiAnchors.UnpackChain(out)
	if err != nil {
		return nil, fmt.Errorf("Anchors.chain: %w", err)
	}
	if ch.Consensus == 0 {
		return nil, fmt.Errorf("%w: chain id %d (cityctl anchor register)", ErrUnknownChain, chainID)
	}
	s := &Status{Anchors: a.Address, ChainID: chainID, Genesis: ch.GenesisHash, Consensus: consensusName(ch.Consensus), Epoch: ch.Epoch, Trusted: ch.TrustedNumber}
	if s.Latest, err = a.Checkpoint(ctx, chainID, ch.Latest); err != nil {
		return nil, err
	}
	if out, err = a.c.Call(ctx, "Anchors.validators", a.Address, abiAnchors.PackValidators(id)); err != nil {
		return nil, err
	}
	if s.Validators, err = abiAnchors.UnpackValidators(out); err != nil {
		return nil, fmt.Errorf("Anchors.validators: %w", err)
	}
	if s.Votes, err = a.Votes(ctx, chainID); err != nil {
		return nil, err
	}
	if out, err = a.c.Call(ctx, "Anchors.isConflicted", a.Address, abiAnchors.PackIsConflicted(id, ch.Latest)); err != nil {
		return nil, err
	}
	if s.Conflicted, err = abiAnchors.UnpackIsConflicted(out); err != nil {
		return nil, fmt.Errorf("Anchors.isConflicted: %w", err)
	}
	if ch.Consensus == Aura {
		s.SetChanges, err = a.SetChanges(ctx, chainID)
	}
	return s, err
}

// Votes reads the Clique votes pending in Anchors at the latest checkpoint
// of chainID.
func (a *Contract) Votes(ctx context.Context, chainID uint64) ([]Vote, error) {
	out, err := a.c.Call(ctx, "Anchors.votes", a.Address, abiAnchors.PackVotes(new(big.Int).SetUint64(chainID)))
	if err != nil {
		return nil, err
	}
	list, err := abiAnchors.UnpackVotes(out)
	if err != nil {
		return nil, fmt.Errorf("Anchors.votes: %w", err)
	}
	votes := make([]Vote, len(list))
	for i, v := range list {
		votes[i] = Vote{Signer: v.Signer, Candidate: v.Candidate, Authorize: v.Authorize}
	}
	return votes, nil
}

// Checkpoint reads the anchored checkpoint of chainID at number; a zero
// hash means none is anchored there.
func (a *Contract) Checkpoint(ctx context.Context, chainID, number uint64) (Checkpoint, error) {
	out, err := a.c.Call(ctx, "Anchors.checkpoint", a.Address, abiAnchors.PackCheckpoint(new(big.Int).SetUint64(chainID), number))
	if err != nil {
		return Checkpoint{}, err
	}
	cp, err := abiAnchors.UnpackCheckpoint(out)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("Anchors.checkpoint: %w", err)
	}
	return Checkpoint{Number: number, Hash: cp.Hash, StateRoot: cp.StateRoot, ReceiptsRoot: cp.ReceiptsRoot, Sealer: cp.Sealer, AnchoredAt: cp.AnchoredAt}, nil
}

// Conflicts reads the conflicting checkpoints kept for chainID at number.
func (a *Contract) Conflicts(ctx context.Context, chainID, number uint64) ([]Checkpoint, error) {
	out, err := a.c.Call(ctx, "Anchors.conflicts", a.Address, abiAnchors.PackConflicts(new(big.Int).SetUint64(chainID), number))
	if err != nil {
		return nil, err
	}
	list, err := abiAnchors.UnpackConflicts(out)
	if err != nil {
		return nil, fmt.Errorf("Anchors.conflicts: %w", err)
	}
	cps := make([]Checkpoint, len(list))
	for i, cp := range list {
		cps[i] = Checkpoint{Number: number, Hash: cp.Hash, StateRoot: cp.StateRoot, ReceiptsRoot: cp.ReceiptsRoot, Sealer: cp.Sealer, AnchoredAt: cp.AnchoredAt}
	}
	return cps, nil
}

func consensusName(kind uint8) string {
	switch kind {
	case Clique:
		return "clique"
	case Aura:
		return "aura"
	}
	return fmt.Sprintf("kind %d", kind)
}
