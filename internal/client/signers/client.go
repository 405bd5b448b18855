package signers

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/consensus/clique"
)

const (
	batchSize   = 100              // JSON-RPC calls per batch when reading the window
	callTimeout = 10 * time.Second // bound of one round of calls to the node
)

// SealerInfo is what city_sealer returns: the node's sealing account and the
// Clique parameters.
type SealerInfo struct {
	Signer *common.Address `json:"signer"`
	Period uint64          `json:"period"`
	Epoch  uint64          `json:"epoch"`
}

// Client reads a node's signer set and votes through it over JSON-RPC.
type Client struct {
	url    string
	rpc    *rpc.Client
	engine *clique.Engine // recovers seal signers; never touches a database
}

// Dial connects to the node at url (http, ws). HTTP connects lazily: an
// unreachable node shows at the first call, as ErrUnreachable.
func Dial(ctx context.Context, url string) (*Client, error) {
	if url == "" {
		return nil, fmt.Errorf("%w: no RPC URL: pass --rpc http://127.0.0.1:8545", ErrUnreachable)
	}
	c, err := rpc.DialContext(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("%w: %s (%v): check --rpc and that the node runs with --http", ErrUnreachable, url, err)
	}
	return NewClient(c, url), nil
}

// NewClient returns a client over an open connection to the node at url
// (url names the node in messages). Close closes the connection.
func NewClient(c *rpc.Client, url string) *Client {
	return &Client{url: url, rpc: c, engine: clique.New(&params.CliqueConfig{}, nil)}
}

// Close closes the connection.
func (c *Client) Close() { c.rpc.Close() }

// URL returns the node's endpoint.
func (c *Client) URL() string { return c.url }

// call makes one JSON-RPC call, telling an unreachable node apart from an
// error the node returned.
func (c *Client) call(ctx context.Context, result any, method string, args ...any) error {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	return c.explain(method, c.rpc.CallContext(ctx, result, method, args...))
}

func (c *Client) explain(method string, err error) error {
	if err == nil {
		return nil
	}
	var rpcErr rpc.Error
	var httpErr rpc.HTTPError
	switch {
	case errors.As(err, &rpcErr):
		if rpcErr.ErrorCode() == -32601 && isVote(method) {
			return fmt.Errorf("%s: %s is %w, it takes no votes: votes go to a signer's control listener, --rpc http://127.0.0.1:8551 --jwtsecret <datadir>/citynode/jwtsecret (citynode --authrpc.addr, --authrpc.port; ADR 062)", method, c.url, ErrNotControl)
		}
		if rpcErr.ErrorCode() == -32601 { // method not found
			return fmt.Errorf("%s: the node at %s does not serve %s: is it a citynode with the %s API in --http.api? (%w)", method, c.url, method, namespace(method), err)
		}
		return fmt.Errorf("%s: %w", method, err)
	case errors.As(err, &httpErr) && httpErr.StatusCode == http.StatusUnauthorized:
		return fmt.Errorf("%s: %w (HTTP 401 from %s): check --jwtsecret is the node's <datadir>/citynode/jwtsecret", method, ErrUnauthorized, c.url)
	case errors.As(err, &httpErr):
		return fmt.Errorf("%w: %s answered HTTP %d to %s: check --rpc", ErrUnreachable, c.url, httpErr.StatusCode, method)
	}
	return fmt.Errorf("%w: %s (%v): check --rpc and that the node runs with --http", ErrUnreachable, c.url, err)
}

// isVote reports whether method is one the control listener alone serves.
func isVote(method string) bool {
	return method == "clique_propose" || method == "clique_discard"
}

func namespace(method string) string {
	for i := range method {
		if method[i] == '_' {
			return method[:i]
		}
	}
	return method
}

// Sealer returns the node's sealing account and Clique parameters (city_sealer).
func (c *Client) Sealer(ctx context.Context) (*SealerInfo, error) {
	info := new(SealerInfo)
	if err := c.call(ctx, info, "city_sealer"); err != nil {
		return nil, err
	}
	return info, nil
}

// Signers returns the signers after the head, ascending (clique_getSigners).
func (c *Client) Signers(ctx context.Context) ([]common.Address, error) {
	var signers []common.Address
	if err := c.call(ctx, &signers, "clique_getSigners", "latest"); err != nil {
		return nil, err
	}
	return signers, nil
}

// Proposals returns the node's own proposals (clique_proposals).
func (c *Client) Proposals(ctx context.Context) (map[common.Address]bool, error) {
	proposals := make(map[common.Address]bool)
	if err := c.call(ctx, &proposals, "clique_proposals"); err != nil {
		return nil, err
	}
	return proposals, nil
}

// ChainID returns the node's chain id.
func (c *Client) ChainID(ctx context.Context) (uint64, error) {
	var id hexutil.Big
	if err := c.call(ctx, &id, "eth_chainId"); err != nil {
		return 0, err
	}
	return (*big.Int)(&id).Uint64(), nil
}

// Genesis returns the hash of the node's genesis block.
func (c *Client) Genesis(ctx context.Context) (common.Hash, error) {
	h, err := c.header(ctx, "0x0")
	if err != nil {
		return common.Hash{}, err
	}
	return h.Hash(), nil
}

func (c *Client) header(ctx context.Context, number string) (*types.Header, error) {
	var h *types.Header
	if err := c.call(ctx, &h, "eth_getBlockByNumber", number, false); err != nil {
		return nil, err
	}
	if h == nil {
		return nil, fmt.Errorf("eth_getBlockByNumber: block %s not found on %s", number, c.url)
	}
	return h, nil
}

// Input reads the last window blocks up to the head, the snapshot after the
// head and the node's own view: everything Compute needs.
func (c *Client) Input(ctx context.Context, window uint64) (*Input, error) {
	if window == 0 {
		return nil, errors.New("window of 0 blocks: want at least 1")
	}
	info, err := c.Sealer(ctx)
	if err != nil {
		return nil, err
	}
	head, err := c.header(ctx, "latest")
	if err != nil {
		return nil, err
	}
	in := &Input{Period: info.Period, Epoch: info.Epoch, Now: time.Now()}
	if info.Signer != nil {
		in.NodeSigner = *info.Signer
	}
	if err := c.readVotes(ctx, in, head); err != nil {
		return nil, err
	}
	last := head.Number.Uint64()
	if last == 0 {
		// Only the genesis block: nobody sealed anything yet.
		in.Blocks = []Block{{Number: 0, Hash: head.Hash(), Time: head.Time}}
		return in, nil
	}
	first := uint64(1)
	if last >= window {
		first = last - window + 1
	}
	headers, err := c.linkedHeaders(ctx, first, head)
	if err != nil {
		return nil, err
	}
	if in.Blocks, err = c.blocks(ctx, headers, first, last); err != nil {
		return nil, err
	}
	return in, nil
}

// readVotes reads the snapshot and proposals of this very head into in: a
// block arriving meanwhile must not shift them against the headers.
func (c *Client) readVotes(ctx context.Context, in *Input, head *types.Header) error {
	in.Snapshot = new(clique.Snapshot)
	if err := c.call(ctx, in.Snapshot, "clique_getSnapshotAtHash", head.Hash()); err != nil {
		return err
	}
	var err error
	in.Proposals, err = c.Proposals(ctx)
	return err
}

// linkedHeaders reads the headers of blocks first up to head, and checks
// that they link up to it.
func (c *Client) linkedHeaders(ctx context.Context, first uint64, head *types.Header) ([]*types.Header, error) {
	headers, err := c.headers(ctx, first, head.Number.Uint64()-1)
	if err != nil {
		return nil, err
	}
	headers = append(headers, head)
	for i := 1; i < len(headers); i++ {
		if headers[i].ParentHash != headers[i-1].Hash() {
			// A reorganisation while reading: read again from the new head.
			return nil, fmt.Errorf("the chain reorganised at block %d while reading it: try again", headers[i].Number)
		}
	}
	return headers, nil
}

// blocks returns the Block of each of headers, blocks first..last: its
// sealer and the signer set that decided whose turn it was.
func (c *Client) blocks(ctx context.Context, headers []*types.Header, first, last uint64) ([]Block, error) {
	sets, err := c.signerSets(ctx, first, last)
	if err != nil {
		return nil, err
	}
	var blocks []Block
	for i, h := range headers {
		signer, err := c.engine.Author(h)
		if err != nil {
			return nil, fmt.Errorf("block %d: %w", h.Number, err)
		}
		blocks = append(blocks, Block{Number: h.Number.Uint64(), Hash: h.Hash(), Time: h.Time, Signer: signer, Signers: sets[i]})
	}
	return blocks, nil
}

// headers reads blocks first..last in batches.
func (c *Client) headers(ctx context.Context, first, last uint64) ([]*types.Header, error) {
	if last < first {
		return nil, nil
	}
	out := make([]*types.Header, last-first+1)
	for from := first; from <= last; from += batchSize {
		to := min(from+batchSize-1, last)
		batch := make([]rpc.BatchElem, 0, to-from+1)
		for n := from; n <= to; n++ {
			batch = append(batch, rpc.BatchElem{Method: "eth_getBlockByNumber", Args: []any{hexutil.Uint64(n), false}, Result: &out[n-first]})
		}
		if err := c.batch(ctx, batch); err != nil {
			return nil, err
		}
		for n := from; n <= to; n++ {
			if out[n-first] == nil {
				return nil, fmt.Errorf("block %d missing on %s", n, c.url)
			}
		}
	}
	return out, nil
}

// signerSets returns, for each block first..last, the signers of its parent's
// snapshot. The set only changes where a vote passes, so when it is the same
// at both ends of the window one set serves every block.
func (c *Client) signerSets(ctx context.Context, first, last uint64) ([][]common.Address, error) {
	sets := make([][]common.Address, last-first+1)
	for from := first; from <= last; from += batchSize {
		to := min(from+batchSize-1, last)
		// Cheap path: both ends of this batch agree.
		var lo, hi []common.Address
		ends := []rpc.BatchElem{
			{Method: "clique_getSigners", Args: []any{hexutil.Uint64(from - 1)}, Result: &lo},
			{Method: "clique_getSigners", Args: []any{hexutil.Uint64(to - 1)}, Result: &hi},
		}
		if err := c.batch(ctx, ends); err != nil {
			return nil, err
		}
		if slices.Equal(lo, hi) {
			for n := from; n <= to; n++ {
				sets[n-first] = lo
			}
			continue
		}
		batch := make([]rpc.BatchElem, 0, to-from+1)
		for n := from; n <= to; n++ {
			batch = append(batch, rpc.BatchElem{Method: "clique_getSigners", Args: []any{hexutil.Uint64(n - 1)}, Result: &sets[n-first]})
		}
		if err := c.batch(ctx, batch); err != nil {
			return nil, err
		}
	}
	return sets, nil
}

func (c *Client) batch(ctx context.Context, batch []rpc.BatchElem) error {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	if err := c.rpc.BatchCallContext(ctx, batch); err != nil {
		return c.explain(batch[0].Method, err)
	}
	for _, el := range batch {
		if el.Error != nil {
			return c.explain(el.Method, el.Error)
		}
	}
	return nil
}

// Report reads the node and computes the report.
func (c *Client) Report(ctx context.Context, window uint64, opts Options, resolver DepartmentResolver) (*Report, error) {
	in, err := c.Input(ctx, window)
	if err != nil {
		return nil, err
	}
	r, err := Compute(*in, opts)
	if err != nil {
		return nil, err
	}
	if err := Annotate(ctx, r, resolver); err != nil {
		return nil, err
	}
	return r, nil
}

// VoteCheck is what a vote through a node is checked against.
type VoteCheck struct {
	NodeSigner common.Address   // the account the node votes with
	Signers    []common.Address // current signers
}

// checkControl refuses, before anything changes, a node listener that takes
// no votes (a public listener: ErrNotControl) or refuses the token
// (ErrUnauthorized). It discards the vote on the zero address, which no node
// ever holds (Clique's "no vote"): a call only the control listener serves,
// that changes nothing.
func (c *Client) checkControl(ctx context.Context) error {
	return c.call(ctx, nil, "clique_discard", common.Address{})
}

// checkVoter refuses to vote through a node that is not a signer: its
// proposal would never reach a block.
func (c *Client) checkVoter(ctx context.Context) (*VoteCheck, error) {
	if err := c.checkControl(ctx); err != nil {
		return nil, err
	}
	info, err := c.Sealer(ctx)
	if err != nil {
		return nil, err
	}
	signers, err := c.Signers(ctx)
	if err != nil {
		return nil, err
	}
	if info.Signer == nil {
		return nil, fmt.Errorf("%w: the node at %s seals with no account (started without --signer): vote through a signer's own node", ErrNotSigner, c.url)
	}
	if !slices.Contains(signers, *info.Signer) {
		return nil, fmt.Errorf("%w: the node at %s seals with %s, which is not among the %d signers: its vote would never count; vote through a signer's node", ErrNotSigner, c.url, info.Signer.Hex(), len(signers))
	}
	return &VoteCheck{NodeSigner: *info.Signer, Signers: signers}, nil
}

// CheckVote checks, without changing anything, that a vote to add
// (authorize) or drop address through the node makes sense: not the zero
// address, the node is a signer, the vote changes the set.
func (c *Client) CheckVote(ctx context.Context, address common.Address, authorize bool) (*VoteCheck, error) {
	if address == (common.Address{}) {
		return nil, fmt.Errorf("%w: cannot propose 0x0000000000000000000000000000000000000000, Clique's \"no vote\": check the address", ErrZeroAddress)
	}
	check, err := c.checkVoter(ctx)
	if err != nil {
		return nil, err
	}
	isSigner := slices.Contains(check.Signers, address)
	switch {
	case authorize && isSigner:
		return nil, fmt.Errorf("%w: %s is already one of the %d signers: nothing to vote on", ErrAlreadySigner, address.Hex(), len(check.Signers))
	case !authorize && !isSigner:
		return nil, fmt.Errorf("%w: %s is not one of the %d signers: nothing to remove (see `cityctl signer list`)", ErrNoSuchSigner, address.Hex(), len(check.Signers))
	}
	return check, nil
}

// Propose makes the node vote to add (authorize) or drop address in the
// blocks it seals, after CheckVote.
func (c *Client) Propose(ctx context.Context, address common.Address, authorize bool) (*VoteCheck, error) {
	check, err := c.CheckVote(ctx, address, authorize)
	if err != nil {
		return nil, err
	}
	if err := c.call(ctx, nil, "clique_propose", address, authorize); err != nil {
		return nil, err
	}
	return check, nil
}

// Discard makes the node stop voting on address.
func (c *Client) Discard(ctx context.Context, address common.Address) error {
	return c.call(ctx, nil, "clique_discard", address)
}

// ReloadAllowlist asks the node to re-read its allowlist file
// (admin_reloadAllowlist). It reports false, and no error, if the node does
// not serve the admin API: the operator must send SIGHUP instead.
func (c *Client) ReloadAllowlist(ctx context.Context) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	err := c.rpc.CallContext(ctx, nil, "admin_reloadAllowlist")
	var rpcErr rpc.Error
	if errors.As(err, &rpcErr) && rpcErr.ErrorCode() == -32601 {
		return false, nil
	}
	if err != nil {
		return false, c.explain("admin_reloadAllowlist", err)
	}
	return true, nil
}

// AddPeer asks the node to connect to enodeURL now (admin_addPeer) rather than
// wait for the newcomer's next dial. It reports false, and no error, if the
// node does not serve the admin API.
func (c *Client) AddPeer(ctx context.Context, enodeURL string) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	var ok bool
	err := c.rpc.CallContext(ctx, &ok, "admin_addPeer", enodeURL)
	var rpcErr rpc.Error
	if errors.As(err, &rpcErr) && rpcErr.ErrorCode() == -32601 {
		return false, nil
	}
	if err != nil {
		return false, c.explain("admin_addPeer", err)
	}
	return ok, nil
}

// Sealers reads blocks first..last and who sealed each (the Signers of a
// Block are left empty: no snapshot is read).
func (c *Client) Sealers(ctx context.Context, first, last uint64) ([]Block, error) {
	headers, err := c.headers(ctx, first, last)
	if err != nil {
		return nil, err
	}
	out := make([]Block, len(headers))
	for i, h := range headers {
		signer, err := c.engine.Author(h)
		if err != nil {
			return nil, fmt.Errorf("block %d: %w", h.Number, err)
		}
		out[i] = Block{Number: h.Number.Uint64(), Hash: h.Hash(), Time: h.Time, Signer: signer}
	}
	return out, nil
}
