package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"

	"github.com/citychain/citychain/consensus/clique"
	"github.com/citychain/citychain/contracts/bindings/anchors"
	"github.com/citychain/citychain/internal/client/anchor"
	"github.com/citychain/citychain/internal/client/audit"
	"github.com/citychain/citychain/internal/testkit/gethclique"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// follower is a `cityctl anchor follow` process.
type follower struct {
	cmd  *exec.Cmd
	out  proctest.Output
	done <-chan struct{}
}

func startFollower(t *testing.T, bin string, args ...string) *follower {
	t.Helper()
	f := &follower{cmd: exec.Command(bin, append([]string{"anchor", "follow"}, args...)...)}
	done, err := proctest.Start(f.cmd, &f.out)
	if err != nil {
		t.Fatal(err)
	}
	f.done = done
	t.Cleanup(func() {
		f.stop(syscall.SIGTERM)
		if t.Failed() {
			out := f.output()
			t.Logf("follower %v output (tail):\n%s", args, out[max(0, len(out)-3000):])
		}
	})
	return f
}

func (f *follower) output() string {
	return f.out.String()
}

func (f *follower) stop(sig syscall.Signal) {
	f.cmd.Process.Signal(sig)
	select {
	case <-f.done:
	case <-time.After(20 * time.Second):
		f.cmd.Process.Kill()
		<-f.done
	}
}

// posted returns the block numbers of the follower's "Anchored block N" lines.
func (f *follower) posted() []uint64 {
	var out []uint64
	for _, m := range regexp.MustCompile(`Anchored block (\d+) `).FindAllStringSubmatch(f.output(), -1) {
		n, _ := parseBlock(m[1])
		out = append(out, n)
	}
	return out
}

// waitPosted waits until the follower has posted a checkpoint at or past n.
func (f *follower) waitPosted(t *testing.T, n uint64, timeout time.Duration) {
	t.Helper()
	proctest.WaitFor(t, timeout, fmt.Sprintf("the follower to anchor block %d", n), func() bool {
		select {
		case <-f.done:
			t.Fatalf("the follower exited:\n%s", f.output())
		default:
		}
		p := f.posted()
		return len(p) > 0 && p[len(p)-1] >= n
	})
}

// metricsURL waits for the follower's metrics line and returns the URL.
func (f *follower) metricsURL(t *testing.T) string {
	t.Helper()
	re := regexp.MustCompile(`Metrics on (\S+)`)
	var m []string
	proctest.WaitFor(t, 30*time.Second, "the follower's metrics listener", func() bool {
		m = re.FindStringSubmatch(f.output())
		return m != nil
	})
	return m[1]
}

// metric reads one sample of the follower's metrics.
func metric(t *testing.T, url, name string) float64 {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := regexp.MustCompile(`(?m)^` + name + `\{chain="\d+"\} (\S+)$`).FindSubmatch(body)
	if m == nil {
		return -1
	}
	var v float64
	fmt.Sscan(string(m[1]), &v)
	return v
}

// TestAnchorFollow runs `cityctl anchor follow` as a process between a real
// geth 1.13.15 Clique network (signers A and B, epoch 4; C voted in, sealing
// the first epoch header after its vote passed, then voted out) and a real
// `citynode dev`: the follower verifies and anchors the chain, the set
// Anchors tracks follows the votes as they pass (ADR 069),
// the follower killed with SIGKILL and restarted goes on from the contract's
// latest checkpoint with no gap and no duplicate (every CheckpointAnchored
// event is geth's block, in order, one per posting line), and a follower
// reading a node that serves a forged header (sealed by a tracked signer but
// breaking Clique's difficulty rule, which Anchors alone would accept)
// refuses it, reports it and counts it, and posts nothing past it.
func TestAnchorFollow(t *testing.T) {
	if testing.Short() {
		t.Skip("starts geth, citynode and cityctl")
	}
	ext := gethclique.Start(t, gethclique.Config{ChainID: 4343, Period: 1, Epoch: 4, Signers: 2, Extra: 1})
	bin, cleanup, err := proctest.Build(".", "cityctl")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cleanup)
	url, admin, relayer := anchorRelay(t)
	mustCityctl(t, "anchor", "register", "--rpc", url, "--key", admin, "--chain-rpc", ext.Nodes[0].URL, "--epoch", "4", "--checkpoint", "0")

	followArgs := func(chainRPC, every string) []string {
		return []string{"--rpc", url, "--key", relayer, "--chain", "4343", "--chain-rpc", chainRPC, "--chain-genesis", ext.Genesis,
			"--every", every, "--interval", "1h", "--poll", "200ms", "--metrics.addr", "127.0.0.1:0"}
	}
	f1 := startFollower(t, bin, followArgs(ext.Nodes[0].URL, "3")...)
	f1.waitPosted(t, 3, 60*time.Second)
	vote := emitEvent(t, ext, []byte("poll 7: yes"))

	// Vote C in, and have C seal the first epoch header after its vote
	// passed: Anchors must have replayed the votes to accept that seal.
	c := ext.Nodes[2].Address
	epochByC := voteInAndSealEpoch(t, ext)
	for _, n := range ext.Nodes {
		n.SetSealing(t, true)
	}
	f1.waitPosted(t, epochByC, 60*time.Second)
	if s := anchorStatusJSON(t, url, 4343); !slices.Contains(s.Validators, c) || len(s.Validators) != 3 {
		t.Fatalf("Anchors tracks %v past epoch header %d sealed by C, want A, B and C", s.Validators, epochByC)
	}

	// SIGKILL the follower after its next posting, and start another.
	first := f1.posted()
	f1.waitPosted(t, first[len(first)-1]+1, 60*time.Second)
	f1.stop(syscall.SIGKILL)
	f2 := startFollower(t, bin, followArgs(ext.Nodes[0].URL, "3")...)
	murl := f2.metricsURL(t)

	// Vote C out: Anchors stops tracking it.
	ext.Propose(t, c, false)
	proctest.WaitFor(t, 60*time.Second, "geth to vote C out", func() bool { return !slices.Contains(ext.Signers(t), c) })
	removed := ext.Head(t)
	f2.waitPosted(t, removed, 60*time.Second)
	if v := metric(t, murl, "citychain_anchor_external_head"); v < float64(removed) {
		t.Errorf("citychain_anchor_external_head %v, want at least %d", v, removed)
	}
	if v := metric(t, murl, "citychain_anchor_anchored_head"); v < float64(removed) {
		t.Errorf("citychain_anchor_anchored_head %v, want at least %d", v, removed)
	}
	if v := metric(t, murl, "citychain_anchor_posts_total"); v < 1 {
		t.Errorf("citychain_anchor_posts_total %v, want at least 1", v)
	}
	f2.stop(syscall.SIGTERM)

	s := anchorStatusJSON(t, url, 4343)
	if slices.Contains(s.Validators, c) || len(s.Validators) != 2 {
		t.Errorf("Anchors tracks %v past block %d, where C was voted out; want A and B", s.Validators, removed)
	}
	checkAnchoredLine(t, url, ext, f1.posted(), f2.posted(), s.Latest.Number)
	checkReceiptProof(t, url, ext, vote, []byte("poll 7: yes"))
	checkStateProofs(t, url, ext, vote)

	// A node serving a forged header right after the latest checkpoint.
	forged := forgeryProxy(t, ext, s.Latest.Number+1)
	f3 := startFollower(t, bin, followArgs(forged, "1")...)
	murl = f3.metricsURL(t)
	proctest.WaitFor(t, 60*time.Second, "the follower to refuse the forged header", func() bool {
		return strings.Contains(f3.output(), "REFUSED a span of chain 4343") && metric(t, murl, "citychain_anchor_refused_headers_total") >= 1
	})
	if out := f3.output(); !strings.Contains(out, "difficulty") {
		t.Errorf("the refusal does not name the broken rule:\n%s", out)
	}
	f3.stop(syscall.SIGTERM)
	if after := anchorStatusJSON(t, url, 4343); after.Latest.Number != s.Latest.Number || len(f3.posted()) != 0 {
		t.Fatalf("after the forged header: latest %d (was %d), posted %v", after.Latest.Number, s.Latest.Number, f3.posted())
	}
}

// voteInAndSealEpoch drives the network block by block (one sealing node at
// a time): A and B vote C in, A and B seal up to the block before the next
// epoch header, and C seals that epoch header. It returns its number.
func voteInAndSealEpoch(t *testing.T, ext *gethclique.Network) uint64 {
	t.Helper()
	a, b, c := ext.Nodes[0], ext.Nodes[1], ext.Nodes[2]
	for _, n := range ext.Nodes {
		n.SetSealing(t, false)
	}
	ext.Propose(t, c.Address, true)
	epoch := ext.Config.Epoch
	var target uint64 // the first epoch header after the vote passed
	for steps := 0; steps < 40; steps++ {
		head := ext.Head(t)
		if target != 0 && head >= target {
			if sealer := ext.Sealer(t, target); sealer != c.Address {
				t.Fatalf("epoch header %d sealed by %s, want C %s", target, sealer, c.Address)
			}
			t.Logf("C voted in, then sealed epoch header %d", target)
			return target
		}
		if target == 0 && slices.Contains(ext.Signers(t), c.Address) {
			target = head - head%epoch + epoch
			continue
		}
		next := a // A or B, whichever did not seal the head
		if ext.Sealer(t, head) == a.Address {
			next = b
		}
		if target != 0 && head+1 == target {
			next = c
		}
		ext.SealNext(t, next, 30*time.Second)
	}
	t.Fatal("C was not voted in and sealing an epoch header within 40 blocks")
	return 0
}

// checkAnchoredLine checks every CheckpointAnchored event of Anchors: in
// strictly increasing order, each geth's block, one per posting line of the
// followers, the last one at latest. The one posting the killed follower may
// have had mined without printing it is the only event allowed without a
// line: between the two followers' lines.
func checkAnchoredLine(t *testing.T, url string, ext *gethclique.Network, killed, restarted []uint64, latest uint64) {
	t.Helper()
	cl, err := ethclient.Dial(url)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	s := anchorStatusJSON(t, url, 4343)
	a := anchors.NewAnchors()
	logs, err := cl.FilterLogs(context.Background(), ethereum.FilterQuery{Addresses: []common.Address{s.Anchors}})
	if err != nil {
		t.Fatal(err)
	}
	var numbers []uint64
	for _, l := range logs {
		ev, err := a.UnpackCheckpointAnchoredEvent(&l)
		if err != nil {
			continue // another event
		}
		h, err := ext.Nodes[0].Eth.HeaderByNumber(context.Background(), new(big.Int).SetUint64(ev.Number))
		if err != nil {
			t.Fatal(err)
		}
		if h.Hash() != ev.Hash {
			t.Errorf("checkpoint %d: anchored %x, geth's block is %s", ev.Number, ev.Hash, h.Hash())
		}
		if len(numbers) > 0 && ev.Number <= numbers[len(numbers)-1] {
			t.Errorf("checkpoint %d anchored after %d", ev.Number, numbers[len(numbers)-1])
		}
		numbers = append(numbers, ev.Number)
	}
	if len(numbers) == 0 || numbers[len(numbers)-1] != latest {
		t.Fatalf("anchored %v, latest %d", numbers, latest)
	}
	posted := append(slices.Clone(killed), restarted...)
	if len(restarted) == 0 {
		t.Fatal("the restarted follower posted nothing")
	}
	if i := slices.Index(numbers, restarted[0]); i == len(killed)+1 && numbers[len(killed)] > killed[len(killed)-1] {
		posted = slices.Insert(posted, len(killed), numbers[len(killed)]) // mined, not printed before SIGKILL
	}
	if !slices.Equal(numbers, posted) {
		t.Errorf("anchored checkpoints %v, the followers reported %v then %v (a posting lost or repeated)", numbers, killed, restarted)
	}
}

// forgeryProxy serves geth's JSON-RPC with one change: block n is replaced
// by a copy with difficulty 3 (Clique allows 1 or 2), sealed again by its
// real signer, and the head is n.
func forgeryProxy(t *testing.T, ext *gethclique.Network, n uint64) string {
	t.Helper()
	ext.WaitHead(t, n, 30*time.Second)
	h, err := ext.Nodes[0].Eth.HeaderByNumber(context.Background(), new(big.Int).SetUint64(n))
	if err != nil {
		t.Fatal(err)
	}
	engine := clique.New(&params.CliqueConfig{Epoch: ext.Config.Epoch}, rawdb.NewMemoryDatabase())
	defer engine.Close()
	sealer, err := engine.Author(h)
	if err != nil {
		t.Fatal(err)
	}
	var key *ecdsa.PrivateKey
	for _, node := range ext.Nodes {
		if node.Address == sealer {
			key = node.Key
		}
	}
	forged := types.CopyHeader(h)
	forged.Difficulty = big.NewInt(3)
	sh, err := clique.SealHash(forged)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := crypto.Sign(sh.Bytes(), key)
	if err != nil {
		t.Fatal(err)
	}
	copy(forged.Extra[len(forged.Extra)-65:], sig)
	block, err := json.Marshal(forged)
	if err != nil {
		t.Fatal(err)
	}
	number := hexutil.Uint64(n).String()
	upstream := ext.Nodes[0].URL
	answer := func(req json.RawMessage) json.RawMessage {
		var call struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params []any           `json:"params"`
		}
		json.Unmarshal(req, &call)
		reply := func(result json.RawMessage) json.RawMessage {
			out, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": call.ID, "result": result})
			return out
		}
		switch {
		case call.Method == "eth_blockNumber":
			return reply(json.RawMessage(`"` + number + `"`))
		case call.Method == "eth_getBlockByNumber" && len(call.Params) > 0 && call.Params[0] == number:
			return reply(block)
		}
		resp, err := http.Post(upstream, "application/json", bytes.NewReader(req))
		if err != nil {
			return reply(json.RawMessage("null"))
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return out
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		var batch []json.RawMessage
		if json.Unmarshal(body, &batch) == nil {
			out := make([]json.RawMessage, len(batch))
			for i, req := range batch {
				out[i] = answer(req)
			}
			json.NewEncoder(w).Encode(out)
			return
		}
		w.Write(answer(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// emitEvent deploys, on the geth chain, a contract that logs its call data
// with topic 0x2a (its constructor stores 0x2a at slot 7), calls it with
// data, and returns the call's receipt.
func emitEvent(t *testing.T, ext *gethclique.Network, data []byte) *types.Receipt {
	t.Helper()
	// Init code: SSTORE(7, 0x2a), then return the 13-byte runtime:
	// CALLDATACOPY(0, 0, size); LOG1(0, size, 0x2a); STOP.
	code := common.FromHex("602a600755" + "600d6011600039600d6000f3" + "3660006000376" + "02a" + "366000a100")
	eth := ext.Nodes[0].Eth
	chainID := new(big.Int).SetUint64(ext.Config.ChainID)
	from := crypto.PubkeyToAddress(ext.Funded.PublicKey)
	send := func(to *common.Address, input []byte) *types.Receipt {
		nonce, err := eth.PendingNonceAt(context.Background(), from)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := types.SignNewTx(ext.Funded, types.LatestSignerForChainID(chainID), &types.LegacyTx{Nonce: nonce, GasPrice: big.NewInt(10_000_000_000), Gas: 200_000, To: to, Data: input})
		if err != nil {
			t.Fatal(err)
		}
		if err := eth.SendTransaction(context.Background(), tx); err != nil {
			t.Fatal(err)
		}
		var r *types.Receipt
		proctest.WaitFor(t, 60*time.Second, "the geth transaction to be mined", func() bool {
			r, err = eth.TransactionReceipt(context.Background(), tx.Hash())
			return err == nil
		})
		if r.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("geth transaction failed: %+v", r)
		}
		return r
	}
	created := send(nil, code)
	r := send(&created.ContractAddress, data)
	if len(r.Logs) != 1 || !bytes.Equal(r.Logs[0].Data, data) {
		t.Fatalf("the call logged %+v, want one log of %q", r.Logs, data)
	}
	return r
}

// checkReceiptProof proves the receipt r through citychain, verifies the
// proof offline against the trusted citychain header, and checks that
// altering bytes of the file makes it fail.
func checkReceiptProof(t *testing.T, url string, ext *gethclique.Network, r *types.Receipt, data []byte) {
	t.Helper()
	rec, pf := proveAndVerify[anchor.AnchoredReceipt](t, anchor.RecordReceipt, "anchor", "prove", "--rpc", url, "--chain", "4343", "--chain-rpc", ext.Nodes[0].URL, "receipt", r.TxHash.Hex())
	p, err := audit.DecodeProof(pf.data)
	if err != nil {
		t.Fatal(err)
	}
	// The trusted hash comes from citychain itself, not from the file.
	cl, err := ethclient.Dial(url)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	h, err := cl.HeaderByNumber(context.Background(), new(big.Int).SetUint64(uint64(p.Header.Number)))
	if err != nil {
		t.Fatal(err)
	}
	if h.Hash() != pf.trusted {
		t.Fatalf("anchor prove names header %s, citychain's block %d is %s", pf.trusted.Hex(), p.Header.Number, h.Hash().Hex())
	}
	if rec.Block != r.BlockNumber.Uint64() || rec.BlockHash != r.BlockHash || rec.TxIndex != uint64(r.TransactionIndex) ||
		rec.TxHash != r.TxHash || rec.From != crypto.PubkeyToAddress(ext.Funded.PublicKey) || rec.To == nil || *rec.To != r.Logs[0].Address ||
		rec.Status != 1 || len(rec.Logs) != 1 || !bytes.Equal(rec.Logs[0].Data, data) || rec.Logs[0].Topics[0] != common.BigToHash(big.NewInt(0x2a)) || rec.Checkpoint < rec.Block {
		t.Fatalf("verified record %+v, want geth's receipt of %s in block %d", rec, r.TxHash, r.BlockNumber)
	}
	if _, err := cityctl("audit", "verify-proof", "--trusted-header", common.Hash{1}.Hex(), pf.path); err == nil {
		t.Fatal("the proof verifies against another citychain block hash")
	}
	checkAltered(t, pf.data, h.Hash(), "receipt proof")
}

// checkAltered checks that the proof file no longer verifies against
// trusted with any one of its bytes changed (every fifth, hex digits kept
// hex digits).
func checkAltered(t *testing.T, file []byte, trusted common.Hash, what string) {
	t.Helper()
	records := proofRecords()
	tampered := 0
	for i := 0; i < len(file); i += 5 {
		altered := bytes.Clone(file)
		altered[i] = alterByte(altered[i])
		if _, err := audit.VerifyFile(altered, trusted, records); err == nil {
			t.Fatalf("the %s still verifies with byte %d changed from %q to %q", what, i, file[i], altered[i])
		}
		tampered++
	}
	t.Logf("%s: %d bytes, %d altered copies all refused", what, len(file), tampered)
}

// checkStateProofs proves, through citychain, the emitter contract's account
// at the latest anchored checkpoint, its slot 7 two blocks below it
// (--chain-block, linked to the checkpoint by headers; geth keeps the state
// of its last 128 blocks only), and an account that does not exist; each verifies offline with the proven values, and fails with
// any byte changed.
func checkStateProofs(t *testing.T, url string, ext *gethclique.Network, r *types.Receipt) {
	t.Helper()
	contract := r.Logs[0].Address
	code, err := ext.Nodes[0].Eth.CodeAt(context.Background(), contract, nil)
	if err != nil || len(code) == 0 {
		t.Fatalf("emitter code: %x, %v", code, err)
	}
	prove := func(args ...string) (anchor.AnchoredState, []byte, common.Hash) {
		t.Helper()
		rec, p := proveAndVerify[anchor.AnchoredState](t, anchor.RecordState, append([]string{"anchor", "prove", "--rpc", url, "--chain", "4343", "--chain-rpc", ext.Nodes[0].URL}, args...)...)
		return rec, p.data, p.trusted
	}
	latest := anchorStatusJSON(t, url, 4343).Latest
	acct, _, _ := prove("account", contract.Hex())
	if !acct.Exists || acct.Nonce != 1 || acct.CodeHash != crypto.Keccak256Hash(code) || acct.Block != latest.Number || acct.BlockHash != latest.Hash || acct.Checkpoint != latest.Number {
		t.Fatalf("proven account %+v, want the emitter (nonce 1, code hash %s) at checkpoint %d %s", acct, crypto.Keccak256Hash(code), latest.Number, latest.Hash)
	}
	block := latest.Number - 2
	slot, file, trusted := prove("--chain-block", fmt.Sprint(block), "storage", contract.Hex(), "7")
	h, err := ext.Nodes[0].Eth.HeaderByNumber(context.Background(), new(big.Int).SetUint64(block))
	if err != nil {
		t.Fatal(err)
	}
	if slot.Block != block || slot.StateRoot != h.Root || slot.Checkpoint < block || slot.Checkpoint > latest.Number || len(slot.Storage) != 1 ||
		slot.Storage[0].Slot != common.BigToHash(big.NewInt(7)) || slot.Storage[0].Value != common.BigToHash(big.NewInt(0x2a)) {
		t.Fatalf("proven slot %+v, want slot 7 = 0x2a at block %d (state root %s)", slot, block, h.Root)
	}
	none, _, _ := prove("account", common.HexToAddress("0xdead").Hex())
	if none.Exists || none.Nonce != 0 || none.Balance.ToInt().Sign() != 0 {
		t.Fatalf("proven absent account %+v, want exists false", none)
	}
	checkAltered(t, file, trusted, "storage proof")
}

// alterByte returns another byte that keeps a hex digit a hex digit.
func alterByte(b byte) byte {
	switch {
	case b >= '0' && b < '9', b >= 'a' && b < 'f':
		return b + 1
	case b == '9':
		return 'a'
	case b == 'f':
		return '0'
	}
	return b ^ 0x20
}
