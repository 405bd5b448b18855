package signers

import (
	"context"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/internal/node/allowlist"
)

// Admission is what admitting or releasing a node's peer did.
type Admission struct {
	Voter          common.Address `json:"voter"`          // the signer that voted; zero if no vote was cast
	Voted          bool           `json:"voted"`          // clique_propose was called
	Discarded      bool           `json:"discarded"`      // a settled proposal was discarded
	AllowlistEdit  bool           `json:"allowlistEdit"`  // the allowlist file changed
	Reloaded       bool           `json:"reloaded"`       // the node re-read its allowlist (admin_reloadAllowlist)
	Peered         bool           `json:"peered"`         // the node dials the newcomer (admin_addPeer)
	AllowlistFile  string         `json:"allowlistFile"`  // the file edited, if any
	SignerIsMember bool           `json:"signerIsMember"` // the account is a signer now
}

// Approve admits a department's join request through the approving signer's
// own node: it checks the request against the node's network, that the node
// is a signer and that the account is not one yet (any failure changes
// nothing), then adds the request's enode to the allowlist file (if given)
// and asks the node to reload it and to dial the new node, then votes to add
// the signer.
func Approve(ctx context.Context, c *Client, req *JoinRequest, allowlistFile string) (*Admission, error) {
	if err := req.Verify(); err != nil {
		return nil, err
	}
	chainID, err := c.ChainID(ctx)
	if err != nil {
		return nil, err
	}
	genesis, err := c.Genesis(ctx)
	if err != nil {
		return nil, err
	}
	if err := req.CheckNetwork(chainID, genesis); err != nil {
		return nil, err
	}
	check, err := c.CheckVote(ctx, req.Signer, true) // the listener takes votes: before the allowlist changes
	if err != nil {
		return nil, err
	}
	a := &Admission{Voter: check.NodeSigner}
	if allowlistFile != "" {
		comment := fmt.Sprintf("%s %s, signer %s", req.Department.Code, req.Department.Name, req.Signer.Hex())
		if err := a.editAllowlist(ctx, c, allowlistFile, func() (bool, error) {
			return allowlist.AddEntry(allowlistFile, req.Enode, comment)
		}); err != nil {
			return a, err
		}
	}
	// The newcomer was refused while off the allowlist and backs off before
	// dialling again: the member dials it instead, if the admin API allows.
	if a.Reloaded {
		if a.Peered, err = c.AddPeer(ctx, req.Enode); err != nil {
			return a, err
		}
	}
	if _, err := c.Propose(ctx, req.Signer, true); err != nil {
		return a, err
	}
	a.Voted = true
	return a, nil
}

// Remove is the way out, symmetrical to Approve. While address is a signer it
// votes, through the signer's own node, to drop it. Once it is out it discards
// the node's settled proposal and removes enodeURL (if given) from the
// allowlist file (if given), asking the node to reload it.
func Remove(ctx context.Context, c *Client, address common.Address, enodeURL, allowlistFile string) (*Admission, error) {
	signers, err := c.Signers(ctx)
	if err != nil {
		return nil, err
	}
	if slices.Contains(signers, address) {
		check, err := c.Propose(ctx, address, false)
		if err != nil {
			return nil, err
		}
		return &Admission{Voter: check.NodeSigner, Voted: true, SignerIsMember: true}, nil
	}
	if address == (common.Address{}) {
		return nil, fmt.Errorf("%w: cannot remove 0x0000000000000000000000000000000000000000, Clique's \"no vote\": check the address", ErrZeroAddress)
	}
	proposals, err := c.Proposals(ctx)
	if err != nil {
		return nil, err
	}
	a := new(Admission)
	if authorize, ok := proposals[address]; ok && !authorize {
		if err := c.Discard(ctx, address); err != nil {
			return nil, err
		}
		a.Discarded = true
	}
	if enodeURL == "" || allowlistFile == "" {
		if !a.Discarded {
			return nil, fmt.Errorf("%w: %s is not one of the %d signers; to also release its node, pass its join request (or --enode) and --p2p.allowlist", ErrNoSuchSigner, address.Hex(), len(signers))
		}
		return a, nil
	}
	id, err := allowlist.ParseEntry(enodeURL)
	if err != nil {
		return nil, err
	}
	err = a.editAllowlist(ctx, c, allowlistFile, func() (bool, error) {
		n, err := allowlist.RemoveEntry(allowlistFile, id)
		return n > 0, err
	})
	return a, err
}

// editAllowlist applies edit to the file and, if it changed, asks the node to
// reload it.
func (a *Admission) editAllowlist(ctx context.Context, c *Client, file string, edit func() (bool, error)) error {
	a.AllowlistFile = file
	changed, err := edit()
	if err != nil {
		return err
	}
	a.AllowlistEdit = changed
	if !changed {
		return nil
	}
	reloaded, err := c.ReloadAllowlist(ctx)
	if err != nil {
		return fmt.Errorf("allowlist %s changed but the node did not reload it (%w): send it SIGHUP", file, err)
	}
	a.Reloaded = reloaded
	return nil
}
