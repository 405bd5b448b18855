package clique

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/rpc"
)

// apiEnv is a sealed chain of 70 blocks by A, B and C, the last of which
// carries a pending vote to add F, served over an in-process RPC server.
type apiEnv struct {
	*sealerEnv
	client *rpc.Client
}

func newAPIEnv(t *testing.T) *apiEnv {
	env := newSealerEnv(t, 0, 0, "A", "B", "C")
	for n := uint64(1); n <= 70; n++ {
		if n == 70 {
			env.engine.Propose(env.keys.address("F"), true)
		}
		// In turn, except every fifth block and when the in-turn signer
		// signed recently.
		snap := env.snapshot()
		var signer string
		for _, label := range env.keys.sorted("A", "B", "C") {
			a := env.keys.address(label)
			if recent, _ := snap.recentlySigned(n, a); !recent && (signer == "" || snap.inturn(n, a) != (n%5 == 0)) {
				signer = label
			}
		}
		header, err := env.prepare(env.chain.CurrentHeader(), signer, false)
		if err != nil {
			t.Fatalf("block %d: %v", n, err)
		}
		env.insert(env.seal(header, signer))
	}
	env.engine.Discard(env.keys.address("F"))

	server := rpc.NewServer()
	for _, api := range env.engine.APIs(env.chain) {
		if err := server.RegisterName(api.Namespace, api.Service); err != nil {
			t.Fatal(err)
		}
	}
	client := rpc.DialInProc(server)
	t.Cleanup(func() {
		client.Close()
		server.Stop()
	})
	return &apiEnv{sealerEnv: env, client: client}
}

// call calls method and returns its raw JSON result.
func (env *apiEnv) call(t *testing.T, method string, args ...any) json.RawMessage {
	t.Helper()
	var result json.RawMessage
	if err := env.client.Call(&result, method, args...); err != nil {
		t.Fatalf("%s%v: %v", method, args, err)
	}
	return result
}

// callError calls method and returns its error, which must not be nil.
func (env *apiEnv) callError(t *testing.T, method string, args ...any) error {
	t.Helper()
	var result json.RawMessage
	err := env.client.Call(&result, method, args...)
	if err == nil {
		t.Fatalf("%s%v: have result %s, want an error", method, args, result)
	}
	return err
}

// fields returns the sorted keys of a JSON object.
func fields(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		t.Fatalf("not an object: %s", raw)
	}
	var keys []string
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestAPISnapshot checks clique_getSnapshot and clique_getSnapshotAtHash
// against the JSON shape of geth 1.13.
func TestAPISnapshot(t *testing.T) {
	env := newAPIEnv(t)
	head := env.chain.CurrentHeader()

	raw := env.call(t, "clique_getSnapshot")
	if have, want := fields(t, raw), []string{"hash", "number", "recents", "signers", "tally", "votes"}; !slices.Equal(have, want) {
		t.Fatalf("have fields %v, want %v", have, want)
	}
	var snap struct {
		Number  uint64                            `json:"number"`
		Hash    common.Hash                       `json:"hash"`
		Signers map[common.Address]struct{}       `json:"signers"`
		Recents map[string]common.Address         `json:"recents"`
		Votes   []map[string]json.RawMessage      `json:"votes"`
		Tally   map[common.Address]map[string]any `json:"tally"`
	}
	if err := json.Unmarshal(raw, &snap); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	if snap.Number != head.Number.Uint64() || snap.Hash != head.Hash() {
		t.Errorf("have snapshot %d %x, want head %d %x", snap.Number, snap.Hash, head.Number, head.Hash())
	}
	if len(snap.Signers) != 3 || len(snap.Recents) != 2 {
		t.Errorf("have %d signers and %d recents, want 3 and 2", len(snap.Signers), len(snap.Recents))
	}
	if _, ok := snap.Recents["70"]; !ok {
		t.Errorf("have recents %v, want decimal block numbers as keys, 70 among them", snap.Recents)
	}
	f := env.keys.address("F")
	if len(snap.Votes) != 1 || len(snap.Tally) != 1 {
		t.Fatalf("have votes %v and tally %v, want one pending vote on F", snap.Votes, snap.Tally)
	}
	var voteFields []string
	for k := range snap.Votes[0] {
		voteFields = append(voteFields, k)
	}
	slices.Sort(voteFields)
	if want := []string{"address", "authorize", "block", "signer"}; !slices.Equal(voteFields, want) {
		t.Errorf("have vote fields %v, want %v", voteFields, want)
	}
	if tally := snap.Tally[f]; tally["authorize"] != true || tally["votes"] != float64(1) {
		t.Errorf("have tally %v for F, want {authorize: true, votes: 1}", tally)
	}

	// The same snapshot by number, tag and hash.
	for _, arg := range []any{"latest", "pending", hexutil.EncodeBig(head.Number)} {
		if have := env.call(t, "clique_getSnapshot", arg); string(have) != string(raw) {
			t.Errorf("getSnapshot(%v): have %s, want %s", arg, have, raw)
		}
	}
	if have := env.call(t, "clique_getSnapshotAtHash", head.Hash()); string(have) != string(raw) {
		t.Errorf("getSnapshotAtHash: have %s, want %s", have, raw)
	}
	genesis := env.call(t, "clique_getSnapshot", "earliest")
	if have := env.call(t, "clique_getSnapshot", "0x0"); string(have) != string(genesis) {
		t.Errorf("earliest and 0x0 differ: %s and %s", genesis, have)
	}
	if !strings.Contains(string(genesis), `"votes":[]`) || !strings.Contains(string(genesis), `"number":0`) {
		t.Errorf("genesis snapshot: have %s, want number 0 and empty votes", genesis)
	}

	for _, tt := range []struct {
		method string
		arg    any
	}{
		{"clique_getSnapshot", "0x1000"},
		{"clique_getSnapshot", "finalized"}, // nothing finalized yet
		{"clique_getSnapshotAtHash", common.Hash{0x01}},
		{"clique_getSigners", "0x1000"},
		{"clique_getSignersAtHash", common.Hash{0x01}},
	} {
		if err := env.callError(t, tt.method, tt.arg); !strings.Contains(err.Error(), "unknown block") {
			t.Errorf("%s(%v): have error %v, want unknown block", tt.method, tt.arg, err)
		}
	}
}

// TestAPISigners checks clique_getSigners, clique_getSignersAtHash and
// clique_getSigner with each form of its argument.
func TestAPISigners(t *testing.T) {
	env := newAPIEnv(t)
	head := env.chain.CurrentHeader()
	want := env.keys.addresses("A", "B", "C")

	for _, args := range [][]any{nil, {"latest"}, {"0x5"}} {
		var have []common.Address
		if err := json.Unmarshal(env.call(t, "clique_getSigners", args...), &have); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(have, want) {
			t.Errorf("getSigners%v: have %v, want %v", args, have, want)
		}
	}
	var atHash []common.Address
	if err := json.Unmarshal(env.call(t, "clique_getSignersAtHash", head.Hash()), &atHash); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(atHash, want) {
		t.Errorf("getSignersAtHash: have %v, want %v", atHash, want)
	}

	block5 := env.chain.GetHeaderByNumber(5)
	author5, err := env.engine.Author(block5)
	if err != nil {
		t.Fatal(err)
	}
	authorHead, _ := env.engine.Author(head)
	headerRLP, _ := rlp.EncodeToBytes(block5)
	blockRLP, _ := rlp.EncodeToBytes(types.NewBlockWithHeader(block5))
	tests := []struct {
		name string
		args []any
		want common.Address
	}{
		{"latest by default", nil, authorHead},
		{"number", []any{"0x5"}, author5},
		{"hash", []any{block5.Hash()}, author5},
		{"object with hash", []any{map[string]any{"blockHash": block5.Hash(), "requireCanonical": true}}, author5},
		{"object with number", []any{map[string]any{"blockNumber": "0x5"}}, author5},
		{"header rlp", []any{hexutil.Bytes(headerRLP)}, author5},
		{"block rlp", []any{hexutil.Bytes(blockRLP)}, author5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var have common.Address
			if err := json.Unmarshal(env.call(t, "clique_getSigner", tt.args...), &have); err != nil {
				t.Fatal(err)
			}
			if have != tt.want {
				t.Errorf("have %s, want %s", have, tt.want)
			}
		})
	}
	for _, arg := range []any{"0x1000", common.Hash{0x01}, "0x1234zz", 12.5} {
		env.callError(t, "clique_getSigner", arg)
	}
}

// TestAPIProposals checks clique_propose, clique_discard and
// clique_proposals.
func TestAPIProposals(t *testing.T) {
	env := newAPIEnv(t)
	if have := env.call(t, "clique_proposals"); string(have) != "{}" {
		t.Fatalf("have proposals %s, want {}", have)
	}
	d, e := env.keys.address("D"), env.keys.address("E")
	env.call(t, "clique_propose", d, true)
	env.call(t, "clique_propose", e, false)
	var have map[common.Address]bool
	if err := json.Unmarshal(env.call(t, "clique_proposals"), &have); err != nil {
		t.Fatal(err)
	}
	if len(have) != 2 || have[d] != true || have[e] != false {
		t.Errorf("have proposals %v, want D: true, E: false", have)
	}
	if err := env.callError(t, "clique_propose", common.Address{}, true); !strings.Contains(err.Error(), "zero address") {
		t.Errorf("propose zero address: have error %v, want one about the zero address", err)
	}
	env.call(t, "clique_discard", d)
	env.call(t, "clique_discard", e)
	if have := env.call(t, "clique_proposals"); string(have) != "{}" {
		t.Errorf("have proposals %s after discarding, want {}", have)
	}
}

// TestAPIStatus checks clique_status over the last 64 blocks.
func TestAPIStatus(t *testing.T) {
	env := newAPIEnv(t)
	raw := env.call(t, "clique_status")
	if have, want := fields(t, raw), []string{"inturnPercent", "numBlocks", "sealerActivity"}; !slices.Equal(have, want) {
		t.Fatalf("have fields %v, want %v", have, want)
	}
	var status Status
	if err := json.Unmarshal(raw, &status); err != nil {
		t.Fatal(err)
	}
	// Blocks 7-70, some of them sealed out of turn.
	wantActivity := make(map[common.Address]int)
	inturn := 0
	for n := uint64(7); n <= 70; n++ {
		header := env.chain.GetHeaderByNumber(n)
		author, _ := env.engine.Author(header)
		wantActivity[author]++
		if header.Difficulty.Int64() == 2 {
			inturn++
		}
	}
	if inturn == 64 || inturn == 0 {
		t.Fatalf("test chain has %d in-turn blocks of the last 64, want a mix", inturn)
	}
	if status.NumBlocks != 64 {
		t.Errorf("have numBlocks %d, want 64", status.NumBlocks)
	}
	if want := float64(100*inturn) / 64; status.InturnPercent != want {
		t.Errorf("have inturnPercent %v, want %v", status.InturnPercent, want)
	}
	if len(status.SealerActivity) != 3 {
		t.Errorf("have activity of %d accounts, want 3", len(status.SealerActivity))
	}
	for signer, n := range wantActivity {
		if status.SealerActivity[signer] != n {
			t.Errorf("have %d blocks by %s, want %d", status.SealerActivity[signer], signer, n)
		}
	}
}
