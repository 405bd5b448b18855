package gateway

import (
	"encoding/binary"
	"fmt"

	"github.com/citychain/citychain/contracts"
)

// votedCode is EVM creation code that asks Polls.hasVoted(poll, index) for
// a list of voter indices of one poll and returns one byte per index (1:
// voted, 0: not), run by one eth_call without a recipient (the creation's
// returned "code" is the answer; nothing is deployed by a call). It calls
// the contract's public view, as the intake did one eth_call per ballot
// (ADR 089), so it does not depend on how Polls lays out its storage. The
// arguments follow the code: the poll, then each index, 32 bytes each.
//
// Memory: 0x1c-0x60 the call's input (selector, poll, index), 0x60 its
// answer, 0x80+i the answer for index i. Any call that fails or answers
// other than 32 bytes reverts the whole read.
var votedCode = assembleVotedCode()

// Offsets of votedCode's jump targets and of its arguments.
const (
	votedLoop = 18
	votedEnd  = 101
	votedFail = 106
	votedLen  = 111
)

func assembleVotedCode() []byte {
	sel := pollsABI.GetABI().Methods["hasVoted"].ID
	hi := func(v int) byte { return byte(v >> 8) }
	lo := func(v int) byte { return byte(v) }
	code := []byte{
		0x63, sel[0], sel[1], sel[2], sel[3], // PUSH4 selector
		0x60, 0x00, 0x52, // MSTORE at 0: the selector at 0x1c-0x20
		0x60, 0x20, 0x61, hi(votedLen), lo(votedLen), 0x60, 0x20, 0x39, // CODECOPY the poll to 0x20
		0x60, 0x00, // i = 0
		0x5b,                   // loop:
		0x80, 0x60, 0x05, 0x1b, // i*32
		0x61, hi(votedLen + 32), lo(votedLen + 32), 0x01, // off = votedLen+32 + i*32
		0x80, 0x38, 0x11, 0x15, // off >= CODESIZE?
		0x61, hi(votedEnd), lo(votedEnd), 0x57, // then end
		0x60, 0x20, 0x90, 0x60, 0x40, 0x39, // CODECOPY the index at off to 0x40
		0x60, 0x20, 0x60, 0x60, 0x60, 0x44, 0x60, 0x1c, // ret 0x60+32, args 0x1c+0x44
		0x73, // PUSH20 Polls
	}
	code = append(code, contracts.PollsAddress.Bytes()...)
	code = append(code,
		0x5a, 0xfa, // GAS, STATICCALL
		0x15, 0x61, hi(votedFail), lo(votedFail), 0x57, // failed: revert
		0x3d, 0x60, 0x20, 0x14, 0x15, 0x61, hi(votedFail), lo(votedFail), 0x57, // not 32 bytes: revert
		0x60, 0x60, 0x51, // the answer
		0x81, 0x60, 0x80, 0x01, 0x53, // MSTORE8 at 0x80+i
		0x60, 0x01, 0x01, // i++
		0x61, hi(votedLoop), lo(votedLoop), 0x56, // loop
		0x5b, 0x50, 0x60, 0x80, 0xf3, // end: RETURN 0x80, i
		0x5b, 0x60, 0x00, 0x80, 0xfd, // fail: REVERT 0, 0
	)
	if len(code) != votedLen || code[votedLoop] != 0x5b || code[votedEnd] != 0x5b || code[votedFail] != 0x5b {
		panic(fmt.Sprintf("votedCode: %d bytes, jump targets misplaced", len(code)))
	}
	return code
}

// votedCall returns the data of the eth_call that reads whether voters
// indices of poll have voted.
func votedCall(poll uint64, indices []uint32) []byte {
	data := make([]byte, votedLen+32+32*len(indices))
	copy(data, votedCode)
	binary.BigEndian.PutUint64(data[votedLen+24:], poll)
	for i, index := range indices {
		binary.BigEndian.PutUint32(data[votedLen+32+32*i+28:], index)
	}
	return data
}

// votedAnswers reads votedCode's answer for n indices.
func votedAnswers(out []byte, n int) ([]bool, error) {
	if len(out) != n {
		return nil, fmt.Errorf("Polls.hasVoted of %d voters: %d bytes answered", n, len(out))
	}
	voted := make([]bool, n)
	for i, b := range out {
		if b > 1 {
			return nil, fmt.Errorf("Polls.hasVoted of voter %d: answered %d", i, b)
		}
		voted[i] = b == 1
	}
	return voted, nil
}
