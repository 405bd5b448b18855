package main

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/citychain/citychain/consensus/aura/auratest"
	"github.com/citychain/citychain/internal/client/anchor"
)

// TestAnchorAuraProve proves records of a generated Aura chain (three
// validators in a list, served as a Parity node serves it: seal fields,
// transactions and receipts with OpenEthereum's numeric "type", storage
// keys of eth_getProof as quantities) through a `citynode dev`: a receipt
// of a contract event with its transaction (and one holding a state root
// in place of a status, as before EIP-658), the contract's account and a
// storage slot below the checkpoint, each verified offline by `audit
// verify-proof`, which recomputes every Aura header's hash from its RLP
// (step and signature in place of mixDigest and nonce); every altered byte
// of the files is refused. A block not anchored yet, another chain's node
// and an unregistered chain are refused naming the problem; the same
// records proven from a node answering as Nethermind verify too.
func TestAnchorAuraProve(t *testing.T) {
	if testing.Short() {
		t.Skip("starts citynode")
	}
	ks := auratest.Keys(3)
	payer, err := crypto.ToECDSA(crypto.Keccak256([]byte("auratest payer")))
	if err != nil {
		t.Fatal(err)
	}
	c := auratest.NewChain(7802, 5, 1000, common.Address{})
	c.Rotate(ks, 2)
	step := func() uint64 { return c.Head().Step + 1 }
	s := step()
	emitter := c.Emitter(s, ks[s%3], payer)
	c.Rotate(ks, 1)
	s = step()
	vote := c.Emit(s, ks[s%3], payer, emitter, []byte("poll 7: yes"))
	voteBlock := c.Head().Number
	c.PostStateReceipts = true // a receipt as before EIP-658: the state root, no status
	s = step()
	oldVote := c.Emit(s, ks[s%3], payer, emitter, []byte("poll 8: no"))
	c.PostStateReceipts = false
	c.Rotate(ks, 2)
	node := auratest.Serve(c)
	defer node.Close()
	spec := auraListSpecFile(t, auratest.Addresses(ks...))

	url, admin, relayer := anchorRelay(t)
	mustCityctl(t, "anchor", "register", "--rpc", url, "--key", admin, "--chain-rpc", node.URL, "--chain-spec", spec, "--checkpoint", "1")

	prove := func(args ...string) []string {
		return append([]string{"anchor", "prove", "--rpc", url, "--chain", "7802", "--chain-rpc", node.URL}, args...)
	}
	refusedCityctl(t, "no anchored checkpoint at or above the block yet", prove("receipt", vote.Hash().Hex())...)
	mustCityctl(t, "anchor", "post", "--rpc", url, "--key", relayer, "--chain", "7802", "--chain-rpc", node.URL, "--chain-spec", spec, "--blocks", "3")
	if st := anchorStatusJSON(t, url, 7802); st.Latest.Number != 4 || voteBlock != 5 {
		t.Fatalf("after the first posting: checkpoint %d, vote in block %d; want 4 and 5", st.Latest.Number, voteBlock)
	}
	refusedCityctl(t, "no anchored checkpoint at or above the block yet", prove("receipt", vote.Hash().Hex())...)
	mustCityctl(t, "anchor", "post", "--rpc", url, "--key", relayer, "--chain", "7802", "--chain-rpc", node.URL, "--chain-spec", spec, "--blocks", "10")
	latest := anchorStatusJSON(t, url, 7802).Latest
	if latest.Hash != c.Head().Hash() {
		t.Fatalf("latest checkpoint %d %s, want the head %d %s", latest.Number, latest.Hash, c.Head().Number, c.Head().Hash())
	}

	for _, nethermind := range []bool{false, true} {
		node.Update(func(*auratest.Chain) { node.Nethermind = nethermind })
		kind := map[bool]string{false: "Parity", true: "Nethermind"}[nethermind]

		rec, file, trusted := verifiedProof[anchor.AnchoredReceipt](t, url, anchor.RecordReceipt, prove("receipt", vote.Hash().Hex())...)
		if rec.Block != voteBlock || rec.BlockHash != c.Blocks[voteBlock].Hash() || rec.TxHash != vote.Hash() || rec.TxIndex != 0 ||
			rec.From != crypto.PubkeyToAddress(payer.PublicKey) || rec.To == nil || *rec.To != emitter || rec.Status != 1 || len(rec.Logs) != 1 ||
			rec.Logs[0].Address != emitter || rec.Logs[0].Topics[0] != auratest.EmitterTopic || !bytes.Equal(rec.Logs[0].Data, []byte("poll 7: yes")) ||
			rec.Checkpoint != latest.Number || rec.CheckpointHash != latest.Hash || rec.ChainID != 7802 {
			t.Fatalf("%s: verified receipt %+v, want the vote %s in block %d", kind, rec, vote.Hash(), voteBlock)
		}
		if !nethermind {
			checkAltered(t, file, trusted, "Aura receipt proof")
		}
		old, _, _ := verifiedProof[anchor.AnchoredReceipt](t, url, anchor.RecordReceipt, prove("receipt", oldVote.Hash().Hex())...)
		if old.Block != voteBlock+1 || old.TxHash != oldVote.Hash() || old.Status != 0 || !bytes.Equal(old.Root, c.Blocks[voteBlock+1].Root.Bytes()) ||
			len(old.Logs) != 1 || !bytes.Equal(old.Logs[0].Data, []byte("poll 8: no")) {
			t.Fatalf("%s: verified pre-EIP-658 receipt %+v, want root %s and the log", kind, old, c.Blocks[voteBlock+1].Root)
		}

		acct, _, _ := verifiedProof[anchor.AnchoredState](t, url, anchor.RecordState, prove("account", emitter.Hex())...)
		if !acct.Exists || acct.Nonce != 1 || acct.CodeHash != crypto.Keccak256Hash(auratest.EmitterRuntime) || acct.Block != latest.Number || acct.BlockHash != latest.Hash {
			t.Fatalf("%s: proven account %+v, want the emitter at checkpoint %d", kind, acct, latest.Number)
		}
		block := voteBlock - 2 // linked by headers to checkpoint 4, the first posting's
		slot, file, trusted := verifiedProof[anchor.AnchoredState](t, url, anchor.RecordState, prove("--chain-block", fmt.Sprint(block), "storage", emitter.Hex(), "7")...)
		if slot.Block != block || slot.StateRoot != c.Blocks[block].Root || slot.Checkpoint != 4 || slot.CheckpointHash != c.Blocks[4].Hash() || len(slot.Storage) != 1 ||
			slot.Storage[0].Slot != common.BigToHash(big.NewInt(7)) || slot.Storage[0].Value != auratest.EmitterTopic {
			t.Fatalf("%s: proven slot %+v, want slot 7 = 0x2a at block %d", kind, slot, block)
		}
		if !nethermind {
			checkAltered(t, file, trusted, "Aura storage proof")
		}
		none, _, _ := verifiedProof[anchor.AnchoredState](t, url, anchor.RecordState, prove("account", common.HexToAddress("0xdead").Hex())...)
		if none.Exists || none.Nonce != 0 {
			t.Fatalf("%s: proven absent account %+v, want exists false", kind, none)
		}
	}

	// Another chain's node, and a chain not registered.
	other := auratest.NewChain(7803, 5, 1000, common.Address{})
	other.Rotate(ks, 3)
	otherNode := auratest.Serve(other)
	defer otherNode.Close()
	refusedCityctl(t, "--chain-rpc serves another chain: its chain id is 7803, --chain is 7802", "anchor", "prove", "--rpc", url, "--chain", "7802", "--chain-rpc", otherNode.URL, "account", emitter.Hex())
	same := auratest.NewChain(7802, 5, 2000, common.Address{})
	same.Rotate(ks, 3)
	sameNode := auratest.Serve(same)
	defer sameNode.Close()
	refusedCityctl(t, "was registered with genesis "+c.Blocks[0].Hash().Hex(), "anchor", "prove", "--rpc", url, "--chain", "7802", "--chain-rpc", sameNode.URL, "account", emitter.Hex())
	refusedCityctl(t, "not registered", "anchor", "prove", "--rpc", url, "--chain", "7803", "--chain-rpc", otherNode.URL, "account", emitter.Hex())
}

// verifiedProof is proveAndVerify whose citychain header is checked to be a
// block of the dev chain at url.
func verifiedProof[R any](t *testing.T, url, kind string, args ...string) (R, []byte, common.Hash) {
	t.Helper()
	rec, p := proveAndVerify[R](t, kind, args...)
	if have := devBlockHash(t, url, p.trusted); have != p.trusted {
		t.Fatalf("anchor prove names citychain header %s, not a block of the dev chain", p.trusted)
	}
	return rec, p.data, p.trusted
}

// devBlockHash returns the hash of the dev chain's block with hash h (the
// zero hash if it has none): the trusted hash comes from citychain itself,
// not from the proof file.
func devBlockHash(t *testing.T, url string, h common.Hash) common.Hash {
	t.Helper()
	cl, err := ethclient.Dial(url)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	head, err := cl.HeaderByHash(context.Background(), h)
	if err != nil {
		return common.Hash{}
	}
	return head.Hash()
}
