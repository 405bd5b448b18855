package anchor

import (
	"errors"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"

	"github.com/citychain/citychain/consensus/clique"
)

// Vote is a Clique vote pending in Anchors: Signer votes to add (Authorize)
// or drop Candidate.
type Vote struct {
	Signer    common.Address `json:"signer"`
	Candidate common.Address `json:"candidate"`
	Authorize bool           `json:"authorize"`
}

// Tally is the voting state Anchors holds at a checkpoint: the tracked
// signers, ascending, and the votes pending since the last epoch header.
type Tally struct {
	Signers []common.Address
	Votes   []Vote
}

// ErrSpanRefused is returned if Anchors would refuse the next header after
// the latest checkpoint, so that no span can pass it.
var ErrSpanRefused = errors.New("the line cannot be extended")

var (
	nonceAuth = types.BlockNonce{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	nonceDrop = types.BlockNonce{}
)

// SpanEnd returns how many of the headers after an anchored checkpoint a
// posting can take, replaying them as Anchors does from the state t (its
// tracked set and pending votes): the longest prefix that Anchors accepts
// and whose last header is sealed by a signer of the set at its parent, or
// 0 if none. It fails with ErrSpanRefused if Anchors would refuse the first
// header it cannot step over (a vote or epoch header sealed outside the set,
// an epoch header listing another set, a nonce that is no vote).
func SpanEnd(hs []*types.Header, t Tally, epoch uint64) (int, error) {
	engine := clique.New(&params.CliqueConfig{Epoch: epoch}, rawdb.NewMemoryDatabase())
	defer engine.Close()
	t = Tally{Signers: slices.Clone(t.Signers), Votes: slices.Clone(t.Votes)}
	n := 0
	for i, h := range hs {
		sealer, err := engine.Author(h)
		if err != nil {
			return stopAt(n, h, err)
		}
		member := slices.Contains(t.Signers, sealer)
		if err := t.step(h, sealer, member, epoch); err != nil {
			return stopAt(n, h, err)
		}
		if member {
			n = i + 1
		}
	}
	return n, nil
}

func stopAt(n int, h *types.Header, err error) (int, error) {
	if n > 0 {
		return n, nil
	}
	return 0, fmt.Errorf("%w: block %d: %v (Anchors replays Clique votes, ADR 069; is the external chain breaking its rules?)", ErrSpanRefused, h.Number, err)
}

// step applies header h, sealed by sealer (member of the set or not), as
// Anchors' post does, or says why Anchors refuses it.
func (t *Tally) step(h *types.Header, sealer common.Address, member bool, epoch uint64) error {
	if h.Number.Uint64()%epoch == 0 {
		return t.epochHeader(h, sealer, member)
	}
	if h.Nonce != nonceAuth && h.Nonce != nonceDrop {
		return fmt.Errorf("nonce %#x is no Clique vote", h.Nonce[:])
	}
	if h.Coinbase == (common.Address{}) && h.Nonce == nonceDrop && t.count(common.Address{}) == 0 {
		return nil // no vote: Anchors does not recover the seal
	}
	if !member {
		return fmt.Errorf("a vote sealed by %s, not a signer Anchors tracks", sealer)
	}
	t.cast(sealer, h.Coinbase, h.Nonce == nonceAuth)
	return nil
}

func (t *Tally) epochHeader(h *types.Header, sealer common.Address, member bool) error {
	if h.Coinbase != (common.Address{}) || h.Nonce != nonceDrop {
		return errors.New("an epoch header carrying a vote")
	}
	if !member {
		return fmt.Errorf("an epoch header sealed by %s, not a signer Anchors tracks", sealer)
	}
	extra, err := clique.DecodeExtra(h.Extra, true)
	if err != nil {
		return err
	}
	if !slices.Equal(extra.Signers, t.Signers) {
		return fmt.Errorf("an epoch header listing %v, Anchors tracks %v", extra.Signers, t.Signers)
	}
	t.Votes = nil
	return nil
}

// cast applies signer's vote on candidate as Clique (EIP-225) does.
func (t *Tally) cast(signer, candidate common.Address, authorize bool) {
	t.Votes = slices.DeleteFunc(t.Votes, func(v Vote) bool { return v.Signer == signer && v.Candidate == candidate })
	i, member := slices.BinarySearchFunc(t.Signers, candidate, common.Address.Cmp)
	if member != authorize {
		t.Votes = append(t.Votes, Vote{Signer: signer, Candidate: candidate, Authorize: authorize})
	}
	if t.count(candidate) <= len(t.Signers)/2 {
		return
	}
	if member {
		t.Signers = slices.Delete(t.Signers, i, i+1)
		t.Votes = slices.DeleteFunc(t.Votes, func(v Vote) bool { return v.Signer == candidate })
	} else {
		t.Signers = slices.Insert(t.Signers, i, candidate)
	}
	t.Votes = slices.DeleteFunc(t.Votes, func(v Vote) bool { return v.Candidate == candidate })
}

func (t *Tally) count(candidate common.Address) int {
	n := 0
	for _, v := range t.Votes {
		if v.Candidate == candidate {
			n++
		}
	}
	return n
}
