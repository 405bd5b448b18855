package predeploy

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/ethash"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/directory"
	"github.com/citychain/citychain/contracts/bindings/documents"
	"github.com/citychain/citychain/contracts/bindings/propertytitles"
	"github.com/citychain/citychain/contracts/merkle"
	"github.com/citychain/citychain/genesis"
)

// TestGasLondon runs each registry action once as a transaction on a London
// chain from a citychain genesis with the pre-deployment, checks that it
// succeeds, and logs its gas (the figures in docs/contracts.md):
//
//	go test ./contracts/predeploy -run TestGasLondon -v
func TestGasLondon(t *testing.T) {
	cfg := testConfig()
	alloc, err := Alloc(cfg)
	if err != nil {
		t.Fatal(err)
	}
	eth := new(big.Int).Exp(big.NewInt(10), big.NewInt(21), nil)
	for _, l := range []string{"admin", "issuer", "registrar", "alice", "bob", "bank"} {
		alloc[testAddr(l)] = types.Account{Balance: eth}
	}
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Signers, spec.Alloc = cfg.ChainID, []common.Address{testAddr("signer1")}, alloc
	g, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	signer := types.LatestSigner(g.Config)
	dir, docs, titles := directory.NewDirectory(), documents.NewDocuments(), propertytitles.NewPropertyTitles()

	doc := func(s string) documents.DocumentsDocumentData {
		return documents.DocumentsDocumentData{DocHash: crypto.Keccak256Hash([]byte(s)), DocType: [32]byte{'I', 'D'}, HolderRef: crypto.Keccak256Hash([]byte("holder " + s)), ValidUntil: 4_000_000_000}
	}
	batch := make([]common.Hash, 10_000)
	for i := range batch {
		batch[i] = contracts.DocumentLeaf(doc(string(rune(i))))
	}
	tree, _ := merkle.New(batch)
	proof, _ := tree.Proof(7)
	proof32 := make([][32]byte, len(proof))
	for i, p := range proof {
		proof32[i] = p
	}
	parcel, _ := contracts.Bytes32("77:01:0004012:1234")
	land, _ := contracts.Bytes32("LAND")

	actions := []struct {
		name string
		from string
		to   common.Address
		data []byte
	}{
		{"Directory.grantRole", "admin", contracts.DirectoryAddress, dir.PackGrantRole(land, uint8(contracts.RoleRegistrar), testAddr("bob"))},
		{"Documents.issue", "issuer", contracts.DocumentsAddress, docs.PackIssue(doc("a"))},
		{"Documents.issueBatch (10,000 documents)", "issuer", contracts.DocumentsAddress, docs.PackIssueBatch(tree.Root(), 10_000)},
		{"Documents.supersede", "issuer", contracts.DocumentsAddress, docs.PackSupersede(doc("a").DocHash, doc("b"))},
		{"Documents.revoke", "issuer", contracts.DocumentsAddress, docs.PackRevoke(doc("b").DocHash)},
		{"Documents.revokeInBatch (depth 14 proof)", "issuer", contracts.DocumentsAddress, docs.PackRevokeInBatch(tree.Root(), doc(string(rune(7))), proof32)},
		{"PropertyTitles.register (2 owners)", "registrar", contracts.PropertyTitlesAddress, titles.PackRegister(parcel, []common.Address{testAddr("alice"), testAddr("bob")}, []uint64{1, 1})},
		{"PropertyTitles.offer", "alice", contracts.PropertyTitlesAddress, titles.PackOffer(parcel, testAddr("bank"), 1)},
		{"PropertyTitles.accept", "bank", contracts.PropertyTitlesAddress, titles.PackAccept(parcel)},
		{"PropertyTitles.addLien", "registrar", contracts.PropertyTitlesAddress, titles.PackAddLien(parcel, testAddr("bank"), [32]byte{1})},
		{"PropertyTitles.releaseLien", "bank", contracts.PropertyTitlesAddress, titles.PackReleaseLien(big.NewInt(1))},
		{"PropertyTitles.approve", "registrar", contracts.PropertyTitlesAddress, titles.PackApprove(parcel)},
	}
	_, _, receipts := core.GenerateChainWithGenesis(g, ethash.NewFaker(), len(actions), func(i int, b *core.BlockGen) {
		a := actions[i]
		b.AddTx(types.MustSignNewTx(testKey(a.from), signer, &types.DynamicFeeTx{
			ChainID: g.Config.ChainID, Nonce: b.TxNonce(testAddr(a.from)), To: &a.to, Gas: 1_000_000,
			GasFeeCap: new(big.Int).Mul(b.BaseFee(), big.NewInt(2)), GasTipCap: big.NewInt(1), Data: a.data,
		}))
	})
	for i, a := range actions {
		r := receipts[i][0]
		if r.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("%s failed", a.name)
		}
		t.Logf("%-45s %7d gas", a.name, r.GasUsed)
	}
}
