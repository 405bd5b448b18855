package contracts_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/documents"
	"github.com/citychain/citychain/contracts/merkle"
)

// doc returns a document with a hash derived from label, valid from now
// (validFrom 0) without expiry unless changed.
func doc(label string) documents.DocumentsDocumentData {
	return documents.DocumentsDocumentData{
		DocHash:   crypto.Keccak256Hash([]byte("document " + label)),
		DocType:   b32("BIRTH-CERT"),
		HolderRef: crypto.Keccak256Hash([]byte("salt"), []byte("holder "+label)),
	}
}

func (e *env) verify(h [32]byte) documents.DocumentsVerification {
	e.t.Helper()
	return call(e, e.docsC, e.docs.PackVerify(h), e.docs.UnpackVerify)
}

func (e *env) verifyInBatch(root [32]byte, d documents.DocumentsDocumentData, proof [][32]byte) documents.DocumentsVerification {
	e.t.Helper()
	return call(e, e.docsC, e.docs.PackVerifyInBatch(root, d, proof), e.docs.UnpackVerifyInBatch)
}

func wantStatus(t *testing.T, what string, v documents.DocumentsVerification, want uint8) {
	t.Helper()
	if v.Status != want {
		t.Errorf("%s: status have %s, want %s", what, contracts.StatusName(v.Status), contracts.StatusName(want))
	}
}

func proofOf(t *testing.T, tree *merkle.Tree, i int) [][32]byte {
	t.Helper()
	p, err := tree.Proof(i)
	if err != nil {
		t.Fatal(err)
	}
	out := make([][32]byte, len(p))
	for j, h := range p {
		out[j] = h
	}
	return out
}

// TestDocumentRules checks every role check and invalid transition of
// single documents.
func TestDocumentRules(t *testing.T) {
	e := newEnv(t)
	c := e.docs
	a := doc("a")
	e.ok("civil", e.docsC, c.PackIssue(a))
	v := e.verify(a.DocHash)
	wantStatus(t, "issued", v, contracts.StatusValid)
	if contracts.String32(v.Issuer) != "CIVIL" || v.IssuedAt != e.now() {
		t.Errorf("issued: have issuer %q at %d, want CIVIL at %d", contracts.String32(v.Issuer), v.IssuedAt, e.now())
	}
	wantStatus(t, "never issued", e.verify(doc("nothing").DocHash), contracts.StatusUnknown)

	zero := doc("zero")
	zero.DocHash = [32]byte{}
	badValidity := doc("bad validity")
	badValidity.ValidFrom, badValidity.ValidUntil = 100, 100
	tests := []struct {
		name string
		from string
		data []byte
		want string
	}{
		{"issue, not an issuer", "registrar", c.PackIssue(doc("b")), fmt.Sprintf("NotIssuer(%s)", addr("registrar").Hex())},
		{"issue, admin is no issuer", "admin", c.PackIssue(doc("b")), "NotIssuer("},
		{"issue twice", "civil2", c.PackIssue(a), fmt.Sprintf("DocumentExists(%#x)", a.DocHash)},
		{"issue zero hash", "civil", c.PackIssue(zero), "ZeroHash()"},
		{"validUntil not after validFrom", "civil", c.PackIssue(badValidity), "InvalidValidity(100, 100)"},
		{"revoke, other department", "health", c.PackRevoke(a.DocHash), `NotIssuingDepartment("CIVIL", "HEALTH")`},
		{"revoke, not an issuer", "registrar", c.PackRevoke(a.DocHash), "NotIssuer("},
		{"revoke unknown", "civil", c.PackRevoke(doc("nothing").DocHash), "UnknownDocument("},
		{"supersede, other department", "health", c.PackSupersede(a.DocHash, doc("a2")), `NotIssuingDepartment("CIVIL", "HEALTH")`},
		{"supersede by itself", "civil", c.PackSupersede(a.DocHash, a), fmt.Sprintf("SelfSupersede(%#x)", a.DocHash)},
		{"supersede by an existing document", "civil", c.PackSupersede(doc("nothing").DocHash, doc("b")), "UnknownDocument("},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.t = t
			e.reverts(tt.from, e.docsC, tt.data, tt.want)
		})
	}
	e.t = t

	// Any issuer account of the issuing department may revoke; then nothing more.
	e.ok("civil2", e.docsC, c.PackRevoke(a.DocHash))
	v = e.verify(a.DocHash)
	wantStatus(t, "revoked", v, contracts.StatusRevoked)
	if v.RevokedAt != e.now() {
		t.Errorf("revokedAt: have %d, want %d", v.RevokedAt, e.now())
	}
	e.reverts("civil", e.docsC, c.PackRevoke(a.DocHash), fmt.Sprintf("AlreadyRevoked(%#x)", a.DocHash))
	e.reverts("civil", e.docsC, c.PackSupersede(a.DocHash, doc("a2")), "AlreadyRevoked(")

	// Supersede: the old one points at the new one, which is valid.
	b, b2, b3 := doc("b"), doc("b2"), doc("b3")
	e.ok("health", e.docsC, c.PackIssue(b))
	e.ok("health", e.docsC, c.PackSupersede(b.DocHash, b2))
	v = e.verify(b.DocHash)
	wantStatus(t, "superseded", v, contracts.StatusSuperseded)
	if v.SupersededBy != b2.DocHash {
		t.Errorf("supersededBy: have %x, want %x", v.SupersededBy, b2.DocHash)
	}
	wantStatus(t, "successor", e.verify(b2.DocHash), contracts.StatusValid)
	if v := e.verify(b2.DocHash); contracts.String32(v.Issuer) != "HEALTH" {
		t.Errorf("successor issuer: have %q, want HEALTH", contracts.String32(v.Issuer))
	}
	e.reverts("health", e.docsC, c.PackSupersede(b.DocHash, b3), fmt.Sprintf("AlreadySuperseded(%#x, %#x)", b.DocHash, b2.DocHash))
	// A superseded document can still be revoked (a forgery found later).
	e.ok("health", e.docsC, c.PackRevoke(b.DocHash))
	wantStatus(t, "superseded then revoked", e.verify(b.DocHash), contracts.StatusRevoked)

	// A department deactivated in the Directory can no longer act.
	e.ok("admin", e.dirC, e.dir.PackSetDepartmentActive(b32("HEALTH"), false))
	e.reverts("health", e.docsC, c.PackRevoke(b2.DocHash), "NotIssuer(")
	e.reverts("health", e.docsC, c.PackIssue(b3), "NotIssuer(")
}

// TestDocumentValidity checks not-yet-valid and expired documents against
// the chain's clock.
func TestDocumentValidity(t *testing.T) {
	e := newEnv(t)
	now := e.now()
	future, expiring := doc("future"), doc("expiring")
	future.ValidFrom = now + 1000
	expiring.ValidFrom, expiring.ValidUntil = now, now+100
	e.ok("civil", e.docsC, e.docs.PackIssue(future))
	e.ok("civil", e.docsC, e.docs.PackIssue(expiring))
	wantStatus(t, "future", e.verify(future.DocHash), contracts.StatusNotYetValid)
	wantStatus(t, "expiring", e.verify(expiring.DocHash), contracts.StatusValid)
	e.advance(2000 * time.Second)
	wantStatus(t, "future, now reached", e.verify(future.DocHash), contracts.StatusValid)
	wantStatus(t, "expired", e.verify(expiring.DocHash), contracts.StatusExpired)
	// Expired documents may still be revoked or superseded by their issuer.
	e.ok("civil", e.docsC, e.docs.PackSupersede(expiring.DocHash, doc("renewed")))
	wantStatus(t, "expired then superseded", e.verify(expiring.DocHash), contracts.StatusSuperseded)
}

// batchDocs returns n documents for a batch and their tree.
func batchDocs(t *testing.T, label string, n int) ([]documents.DocumentsDocumentData, *merkle.Tree) {
	t.Helper()
	docs := make([]documents.DocumentsDocumentData, n)
	leaves := make([]common.Hash, n)
	for i := range docs {
		docs[i] = doc(fmt.Sprintf("%s %d", label, i))
		docs[i].ValidUntil = 4_000_000_000
		leaves[i] = contracts.DocumentLeaf(docs[i])
	}
	tree, err := merkle.New(leaves)
	if err != nil {
		t.Fatal(err)
	}
	return docs, tree
}

// batchSize is the number of documents of the large batch: thousands, each
// verified through the contract with its proof.
const batchSize = 4096

// TestBatch issues thousands of documents in one transaction and verifies
// each with its proof through the contract.
func TestBatch(t *testing.T) {
	e := newEnv(t)
	c := e.docs
	docs, tree := batchDocs(t, "batch", batchSize)
	root := tree.Root()
	r := e.ok("civil", e.docsC, c.PackIssueBatch(root, uint32(len(docs))))
	t.Logf("issueBatch of %d documents: %d gas", len(docs), r.GasUsed)

	// The contract's leaf is the Go leaf.
	if have := call(e, e.docsC, c.PackLeaf(docs[7]), c.UnpackLeaf); have != contracts.DocumentLeaf(docs[7]) {
		t.Fatalf("leaf: contract %x, Go %x", have, contracts.DocumentLeaf(docs[7]))
	}
	start := time.Now()
	for i, d := range docs {
		v := e.verifyInBatch(root, d, proofOf(t, tree, i))
		if v.Status != contracts.StatusValid || v.BatchRoot != root || contracts.String32(v.Issuer) != "CIVIL" {
			t.Fatalf("document %d: have %s, batch %x, issuer %q; want valid in %x by CIVIL", i, contracts.StatusName(v.Status), v.BatchRoot, contracts.String32(v.Issuer), root)
		}
	}
	t.Logf("verified %d proofs (depth %d) through the contract in %v", len(docs), len(proofOf(t, tree, 0)), time.Since(start))

	// Wrong proofs, wrong fields and a proof for another root say unknown.
	other, otherTree := batchDocs(t, "other", 1000)
	e.ok("health", e.docsC, c.PackIssueBatch(otherTree.Root(), 1000))
	tampered := docs[3]
	tampered.ValidUntil++
	unknown := []struct {
		name  string
		root  [32]byte
		doc   documents.DocumentsDocumentData
		proof [][32]byte
	}{
		{"proof of another leaf", root, docs[3], proofOf(t, tree, 4)},
		{"changed validity", root, tampered, proofOf(t, tree, 3)},
		{"proof for another root", otherTree.Root(), docs[3], proofOf(t, tree, 3)},
		{"document of another batch", root, other[3], proofOf(t, otherTree, 3)},
		{"batch never issued", crypto.Keccak256Hash([]byte("no batch")), docs[3], proofOf(t, tree, 3)},
		{"no proof", root, docs[3], nil},
	}
	for _, u := range unknown {
		wantStatus(t, u.name, e.verifyInBatch(u.root, u.doc, u.proof), contracts.StatusUnknown)
	}
	// The same document verifies under its own root.
	wantStatus(t, "other batch, own proof", e.verifyInBatch(otherTree.Root(), other[3], proofOf(t, otherTree, 3)), contracts.StatusValid)
}

// TestBatchRules checks revocation and supersession of batch documents and
// every invalid transition.
func TestBatchRules(t *testing.T) {
	e := newEnv(t)
	c := e.docs
	docs, tree := batchDocs(t, "rules", 64)
	root := [32]byte(tree.Root())
	_, otherTree := batchDocs(t, "other", 8)
	e.ok("civil", e.docsC, c.PackIssueBatch(root, 64))
	e.ok("health", e.docsC, c.PackIssueBatch(otherTree.Root(), 8))

	tests := []struct {
		name string
		from string
		data []byte
		want string
	}{
		{"issue batch, not an issuer", "registrar", c.PackIssueBatch(crypto.Keccak256Hash([]byte("x")), 1), "NotIssuer("},
		{"batch twice", "civil2", c.PackIssueBatch(root, 64), fmt.Sprintf("BatchExists(%#x)", root)},
		{"empty batch", "civil", c.PackIssueBatch(crypto.Keccak256Hash([]byte("x")), 0), "EmptyBatch()"},
		{"zero root", "civil", c.PackIssueBatch([32]byte{}, 1), "ZeroHash()"},
		{"revoke in batch, other department", "health", c.PackRevokeInBatch(root, docs[1], proofOf(t, tree, 1)), `NotIssuingDepartment("CIVIL", "HEALTH")`},
		{"revoke in batch, not an issuer", "registrar", c.PackRevokeInBatch(root, docs[1], proofOf(t, tree, 1)), "NotIssuer("},
		{"revoke in batch, proof for another root", "health", c.PackRevokeInBatch(otherTree.Root(), docs[1], proofOf(t, tree, 1)), fmt.Sprintf("InvalidProof(%#x, %#x)", otherTree.Root(), docs[1].DocHash)},
		{"revoke in batch, wrong proof", "civil", c.PackRevokeInBatch(root, docs[1], proofOf(t, tree, 2)), "InvalidProof("},
		{"revoke in unknown batch", "civil", c.PackRevokeInBatch(crypto.Keccak256Hash([]byte("x")), docs[1], proofOf(t, tree, 1)), "UnknownBatch("},
		{"revoke batch, other department", "health", c.PackRevokeBatch(root), `NotIssuingDepartment("CIVIL", "HEALTH")`},
		{"revoke unknown batch", "civil", c.PackRevokeBatch(crypto.Keccak256Hash([]byte("x"))), "UnknownBatch("},
		{"supersede in batch, other department", "health", c.PackSupersedeInBatch(root, docs[1], proofOf(t, tree, 1), doc("new")), `NotIssuingDepartment("CIVIL", "HEALTH")`},
		{"supersede in batch, wrong proof", "civil", c.PackSupersedeInBatch(root, docs[1], proofOf(t, tree, 0), doc("new")), "InvalidProof("},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.t = t
			e.reverts(tt.from, e.docsC, tt.data, tt.want)
		})
	}
	e.t = t

	// One document revoked; its neighbours stay valid.
	e.ok("civil2", e.docsC, c.PackRevokeInBatch(root, docs[1], proofOf(t, tree, 1)))
	wantStatus(t, "revoked in batch", e.verifyInBatch(root, docs[1], proofOf(t, tree, 1)), contracts.StatusRevoked)
	wantStatus(t, "neighbour", e.verifyInBatch(root, docs[0], proofOf(t, tree, 0)), contracts.StatusValid)
	e.reverts("civil", e.docsC, c.PackRevokeInBatch(root, docs[1], proofOf(t, tree, 1)), "AlreadyRevoked(")
	e.reverts("civil", e.docsC, c.PackSupersedeInBatch(root, docs[1], proofOf(t, tree, 1), doc("new")), "AlreadyRevoked(")

	// One document superseded by a single document.
	e.ok("civil", e.docsC, c.PackSupersedeInBatch(root, docs[2], proofOf(t, tree, 2), doc("new")))
	v := e.verifyInBatch(root, docs[2], proofOf(t, tree, 2))
	wantStatus(t, "superseded in batch", v, contracts.StatusSuperseded)
	if v.SupersededBy != doc("new").DocHash {
		t.Errorf("supersededBy: have %x", v.SupersededBy)
	}
	wantStatus(t, "successor", e.verify(doc("new").DocHash), contracts.StatusValid)
	e.reverts("civil", e.docsC, c.PackSupersedeInBatch(root, docs[2], proofOf(t, tree, 2), doc("newer")), "AlreadySuperseded(")

	// The whole batch revoked: every document, and nothing more to revoke.
	e.ok("civil", e.docsC, c.PackRevokeBatch(root))
	for _, i := range []int{0, 3, 63} {
		wantStatus(t, fmt.Sprintf("document %d of a revoked batch", i), e.verifyInBatch(root, docs[i], proofOf(t, tree, i)), contracts.StatusRevoked)
	}
	e.reverts("civil", e.docsC, c.PackRevokeBatch(root), fmt.Sprintf("BatchAlreadyRevoked(%#x)", root))
	e.reverts("civil", e.docsC, c.PackRevokeInBatch(root, docs[5], proofOf(t, tree, 5)), "AlreadyRevoked(")
	if b := call(e, e.docsC, c.PackBatch(root), c.UnpackBatch); b.RevokedAt == 0 || b.Count != 64 || contracts.String32(b.Issuer) != "CIVIL" {
		t.Errorf("batch record: have %+v", b)
	}
}

// TestNoCrossDepartmentMarks checks that a department cannot revoke another
// department's document by putting its hash into a batch of its own.
func TestNoCrossDepartmentMarks(t *testing.T) {
	e := newEnv(t)
	victim := doc("victim")
	e.ok("civil", e.docsC, e.docs.PackIssue(victim))
	tree, err := merkle.New([]common.Hash{contracts.DocumentLeaf(victim), contracts.DocumentLeaf(doc("filler"))})
	if err != nil {
		t.Fatal(err)
	}
	e.ok("health", e.docsC, e.docs.PackIssueBatch(tree.Root(), 2))
	e.ok("health", e.docsC, e.docs.PackRevokeInBatch(tree.Root(), victim, proofOf(t, tree, 0)))
	wantStatus(t, "HEALTH's batch copy", e.verifyInBatch(tree.Root(), victim, proofOf(t, tree, 0)), contracts.StatusRevoked)
	wantStatus(t, "CIVIL's document", e.verify(victim.DocHash), contracts.StatusValid)
}
