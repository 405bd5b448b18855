package ballots

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/contracts/merkle"
)

// LeafEncoding is the leaf encoding of an eligibility tree: voter number i of
// the list is the value (i, address), the leaf Polls.relay checks.
var LeafEncoding = []string{"uint256", "address"}

// ErrFile is returned by DecodeEligibility for a file that is not an
// eligibility list.
var ErrFile = errors.New("invalid eligibility file")

// Leaf returns the eligibility leaf of voter number index, the
// StandardMerkleTree leaf of the value (index, voter):
// keccak256(keccak256(abi.encode(uint256 index, address voter))).
func Leaf(index uint32, voter common.Address) common.Hash {
	var enc [64]byte
	binary.BigEndian.PutUint32(enc[28:32], index)
	copy(enc[44:], voter.Bytes())
	return merkle.Leaf(enc[:])
}

// Eligibility is the eligibility tree of a poll: voter i of the list is the
// value (i, address) of a StandardMerkleTree. Its file is the tree's
// standard-v1 dump (Encode, DecodeEligibility); a file in the format cityctl
// wrote before is still read, with its own proofs (Deprecated says so).
type Eligibility struct {
	voters []common.Address
	index  map[common.Address]uint32
	root   common.Hash

	tree   *merkle.StandardTree // nil for a deprecated file
	value  []int                // value number of voter i in tree
	proofs [][]common.Hash      // deprecated files: the proof of voter i
}

// NewEligibility builds the tree of the voters, voter i being the i-th of
// the list given.
func NewEligibility(voters []common.Address) (*Eligibility, error) {
	if err := checkCount(len(voters)); err != nil {
		return nil, err
	}
	e := &Eligibility{voters: voters, index: make(map[common.Address]uint32, len(voters)), value: make([]int, len(voters))}
	values := make([][]any, len(voters))
	for i, v := range voters {
		if err := e.add(uint32(i), v); err != nil {
			return nil, err
		}
		values[i] = []any{big.NewInt(int64(i)), v}
		e.value[i] = i
	}
	tree, err := merkle.NewStandardTree(LeafEncoding, values)
	if err != nil {
		return nil, err
	}
	e.tree, e.root = tree, tree.Root()
	return e, nil
}

func checkCount(n int) error {
	if n == 0 {
		return ErrNoVoters
	}
	if n > 1<<32-1 {
		return fmt.Errorf("eligibility list: have %d voters, want at most %d", n, uint32(1<<32-1))
	}
	return nil
}

// add records voter number i, refusing a voter listed twice.
func (e *Eligibility) add(i uint32, v common.Address) error {
	if j, ok := e.index[v]; ok {
		return fmt.Errorf("%w: %s at positions %d and %d", ErrDuplicateVoter, v.Hex(), j, i)
	}
	e.index[v] = i
	return nil
}

// Root returns the root to create the poll with.
func (e *Eligibility) Root() common.Hash { return e.root }

// Len returns the number of voters (the poll's voterCount).
func (e *Eligibility) Len() int { return len(e.voters) }

// Voter returns voter number i.
func (e *Eligibility) Voter(i int) common.Address { return e.voters[i] }

// Proof returns the voter index and Merkle proof of voter.
func (e *Eligibility) Proof(voter common.Address) (uint32, []common.Hash, error) {
	i, ok := e.index[voter]
	if !ok {
		return 0, nil, fmt.Errorf("%w: %s", ErrNotListed, voter.Hex())
	}
	if e.tree == nil {
		return i, e.proofs[i], nil
	}
	p, err := e.tree.Proof(e.value[i])
	return i, p, err
}

// Deprecated returns why the file the list was read from is deprecated, or
// "" for a standard-v1 dump or a list built here.
func (e *Eligibility) Deprecated() string {
	if e.tree == nil {
		return "eligibility files with root, voterCount and voters (what cityctl wrote before) are deprecated: this one is read with its own proofs, but write new lists with this cityctl (an @openzeppelin/merkle-tree standard-v1 dump)"
	}
	return ""
}

// Encode returns the eligibility file: the tree's standard-v1 dump, indented,
// which @openzeppelin/merkle-tree's StandardMerkleTree.load reads. A list
// read from a deprecated file cannot be written again in the new form (its
// tree, hence its root, would change).
func (e *Eligibility) Encode() ([]byte, error) {
	if e.tree == nil {
		return nil, errors.New("an eligibility list read from a deprecated file cannot be rewritten: its root would change")
	}
	d, err := e.tree.Dump()
	if err != nil {
		return nil, err
	}
	out, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// DecodeEligibility reads an eligibility file: a standard-v1 dump with leaf
// encoding (uint256, address) whose indexes are 0 to n-1 (from `cityctl poll
// eligible` or any tool using @openzeppelin/merkle-tree), or the deprecated
// format cityctl wrote before, whose proofs are checked against its root.
func DecodeEligibility(data []byte) (*Eligibility, error) {
	var probe struct {
		Format *string          `json:"format"`
		Root   *common.Hash     `json:"root"`
		Voters *json.RawMessage `json:"voters"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFile, err)
	}
	switch {
	case probe.Format != nil:
		return decodeDump(data)
	case probe.Root != nil && probe.Voters != nil:
		return decodeDeprecated(data)
	}
	return nil, fmt.Errorf("%w: neither a standard-v1 dump nor a deprecated eligibility file; write it with `cityctl poll eligible`", ErrFile)
}

// decodeDump reads a standard-v1 dump of an eligibility list.
func decodeDump(data []byte) (*Eligibility, error) {
	tree, err := merkle.DecodeStandardTree(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFile, err)
	}
	if enc := tree.LeafEncoding(); !slices.Equal(enc, LeafEncoding) {
		return nil, fmt.Errorf("%w: leaf encoding %v, want %v (voter index, voter)", ErrFile, enc, LeafEncoding)
	}
	n := tree.Len()
	if err := checkCount(n); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFile, err)
	}
	e := &Eligibility{voters: make([]common.Address, n), index: make(map[common.Address]uint32, n), root: tree.Root(), tree: tree, value: make([]int, n)}
	seen := make([]bool, n)
	for v := range n {
		value := tree.Value(v)
		i, voter := value[0].(*big.Int), value[1].(common.Address)
		if !i.IsInt64() || i.Int64() >= int64(n) || seen[i.Int64()] {
			return nil, fmt.Errorf("%w: value %d has voter index %s: the indexes of n voters must be 0 to n-1, each once", ErrFile, v, i)
		}
		seen[i.Int64()] = true
		if err := e.add(uint32(i.Int64()), voter); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrFile, err)
		}
		e.voters[i.Int64()], e.value[i.Int64()] = voter, v
	}
	return e, nil
}

// deprecatedFile is the eligibility file cityctl wrote before standard-v1
// dumps: the root and, per voter, its index and proof in a tree that paired
// neighbours in list order.
type deprecatedFile struct {
	Root       common.Hash `json:"root"`
	VoterCount int         `json:"voterCount"`
	Voters     []struct {
		Voter common.Address `json:"voter"`
		Index uint32         `json:"index"`
		Proof []common.Hash  `json:"proof"`
	} `json:"voters"`
}

// decodeDeprecated reads a deprecated eligibility file and checks every
// voter's proof against its root (polls created from it keep that root).
func decodeDeprecated(data []byte) (*Eligibility, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f deprecatedFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFile, err)
	}
	n := len(f.Voters)
	if err := checkCount(n); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFile, err)
	}
	if f.VoterCount != n {
		return nil, fmt.Errorf("%w: voterCount %d, but %d voters listed", ErrFile, f.VoterCount, n)
	}
	e := &Eligibility{voters: make([]common.Address, n), index: make(map[common.Address]uint32, n), root: f.Root, proofs: make([][]common.Hash, n)}
	for _, v := range f.Voters {
		if int64(v.Index) >= int64(n) || e.proofs[v.Index] != nil {
			return nil, fmt.Errorf("%w: voter index %d: the indexes of n voters must be 0 to n-1, each once", ErrFile, v.Index)
		}
		if !merkle.Verify(v.Proof, f.Root, Leaf(v.Index, v.Voter)) {
			return nil, fmt.Errorf("%w: the proof of voter %d (%s) does not lead to root %s (the file was altered)", ErrFile, v.Index, v.Voter.Hex(), f.Root)
		}
		if err := e.add(v.Index, v.Voter); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrFile, err)
		}
		e.voters[v.Index], e.proofs[v.Index] = v.Voter, append([]common.Hash{}, v.Proof...)
	}
	return e, nil
}
