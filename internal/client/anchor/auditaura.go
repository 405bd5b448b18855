package anchor

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/citychain/citychain/consensus/aura"
)

// AuraAudit is what re-running consensus/aura over the anchored line of an
// Aura chain found, beside what Anchors recorded (ADR 080).
type AuraAudit struct {
	ChainID  uint64 `json:"chainId"`
	Trusted  uint64 `json:"trusted"`
	Latest   uint64 `json:"latest"`
	Verified uint64 `json:"verified"` // headers verified after the trusted one
	// Recorded are the sets Anchors holds (setChanges), Found the ones the
	// chain's rules give, the registration's first in both.
	Recorded []RecordedSet `json:"recorded"`
	Found    []RecordedSet `json:"found"`
	// Mismatches name each difference; none means Anchors' line and sets
	// are the chain's as its rules give them.
	Mismatches []string `json:"mismatches"`
}

// AuditAura re-verifies every header of chainID's anchored line, from the
// trusted checkpoint to the latest, with spec's rules read from ext, and
// compares the checkpoints and validator sets Anchors recorded with the
// ones the verification gives. A header that breaks a rule ends the audit
// with that mismatch; an error means the audit could not be run.
func AuditAura(ctx context.Context, a *Contract, ext *External, spec *aura.Spec, chainID uint64) (*AuraAudit, error) {
	s, err := a.Status(ctx, chainID)
	if err != nil {
		return nil, err
	}
	if s.Consensus != consensusName(Aura) {
		return nil, fmt.Errorf("chain %d is registered as a %s chain in Anchors: anchor audit re-checks Aura chains", chainID, s.Consensus)
	}
	recorded, err := a.SetChanges(ctx, chainID)
	if err != nil {
		return nil, err
	}
	au := &AuraAudit{ChainID: chainID, Trusted: s.Trusted, Latest: s.Latest.Number, Recorded: recorded, Found: []RecordedSet{}, Mismatches: []string{}}
	if err := au.walk(ctx, a, ext.Aura(), spec); err != nil {
		return nil, err
	}
	au.compareSets()
	return au, nil
}

// walk verifies the line from the trusted checkpoint to the latest,
// collecting the set changes and checking the hashes of the checkpoints
// Anchors recorded a change at, and of the latest.
func (au *AuraAudit) walk(ctx context.Context, a *Contract, ac *AuraChain, spec *aura.Spec) error {
	v := &aura.Verifier{Spec: spec, Chain: ac}
	trusted, err := ac.Headers(ctx, au.Trusted, au.Trusted)
	if err != nil {
		return err
	}
	if err := au.checkHash(ctx, a, trusted[0]); err != nil {
		return err
	}
	st, err := v.Start(ctx, trusted[0])
	if err != nil {
		return err
	}
	au.Found = append(au.Found, RecordedSet{Number: au.Trusted, Set: st.Set})
	for n := au.Trusted + 1; n <= au.Latest; n += auraBatch {
		hs, err := ac.Headers(ctx, n, min(n+auraBatch-1, au.Latest))
		if err != nil {
			return err
		}
		if st, err = au.verify(ctx, a, v, st, hs); err != nil || st == nil {
			return err
		}
	}
	return nil
}

// verify verifies hs after st and returns the State after them, or nil
// once a header breaks a rule (recorded as a mismatch).
func (au *AuraAudit) verify(ctx context.Context, a *Contract, v *aura.Verifier, st *aura.State, hs []*aura.Header) (*aura.State, error) {
	for _, h := range hs {
		next, err := v.Verify(ctx, st, h)
		if errors.Is(err, aura.ErrRuleViolation) {
			au.mismatch("the anchored line breaks the chain's rules: %v", err)
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		au.Verified++
		if c := auraChange(v.Spec, st, next, h); c != nil {
			if c.Signal != 0 && c.Signal <= au.Found[len(au.Found)-1].Number {
				c.Signal = 0 // as the follower posts it (Relay.VerifyAura)
			}
			au.Found = append(au.Found, RecordedSet{Number: h.Number, Signal: c.Signal, Set: c.Set})
		}
		if au.recordedAt(h.Number) || h.Number == au.Latest {
			if err := au.checkHash(ctx, a, h); err != nil {
				return nil, err
			}
		}
		st = next
	}
	return st, nil
}

// recordedAt tells whether Anchors recorded a set change after block n.
func (au *AuraAudit) recordedAt(n uint64) bool {
	return slices.ContainsFunc(au.Recorded, func(r RecordedSet) bool { return r.Number == n })
}

// checkHash compares h with the checkpoint Anchors holds at its number.
func (au *AuraAudit) checkHash(ctx context.Context, a *Contract, h *aura.Header) error {
	cp, err := a.Checkpoint(ctx, au.ChainID, h.Number)
	if err != nil {
		return err
	}
	if cp.Hash != h.Hash() {
		au.mismatch("block %d is %s on the external chain, Anchors holds %s there", h.Number, h.Hash().Hex(), cp.Hash.Hex())
	}
	return nil
}

// compareSets lists every difference between the sets recorded and found.
func (au *AuraAudit) compareSets() {
	for i := range max(len(au.Recorded), len(au.Found)) {
		switch {
		case i >= len(au.Found):
			r := au.Recorded[i]
			au.mismatch("Anchors records a validator-set change after block %d (signal %d) to %v that the chain's rules do not give", r.Number, r.Signal, r.Set)
		case i >= len(au.Recorded):
			f := au.Found[i]
			au.mismatch("the chain's validator set changes after block %d (signal %d) to %v; Anchors does not record it", f.Number, f.Signal, f.Set)
		case !sameSet(au.Recorded[i], au.Found[i]):
			r, f := au.Recorded[i], au.Found[i]
			au.mismatch("validator set %d: Anchors records %v after block %d (signal %d), the chain's rules give %v after block %d (signal %d)",
				i, r.Set, r.Number, r.Signal, f.Set, f.Number, f.Signal)
		}
	}
}

func sameSet(a, b RecordedSet) bool {
	return a.Number == b.Number && a.Signal == b.Signal && slices.Equal(a.Set, b.Set)
}

func (au *AuraAudit) mismatch(format string, args ...any) {
	au.Mismatches = append(au.Mismatches, fmt.Sprintf(format, args...))
}
