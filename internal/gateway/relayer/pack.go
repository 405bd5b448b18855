package relayer

import (
	"encoding/binary"

	"github.com/citychain/citychain/contracts/bindings/polls"
)

// relaySelector is the selector of Polls.relay(uint256,(uint64,uint32,uint32,address,bytes32,bytes32,bytes32[])[]).
var relaySelector = pollsABI.GetABI().Methods["relay"].ID

// ballotHead is the number of words of a SignedBallot before its proof:
// poll, option, voter index, voter, r, vs, the proof's offset.
const ballotHead = 7

// packRelay is the call data of Polls.relay(poll, ballots), the same bytes
// as the ABI binding's PackRelay (a test compares them), written straight
// into one buffer: the binding's reflection-driven encoder was a sixth of
// the relayer's CPU.
func packRelay(poll uint64, ballots []polls.PollsSignedBallot) []byte {
	size := 4 + 3*32 + len(ballots)*32
	for _, b := range ballots {
		size += (ballotHead + 1 + len(b.Proof)) * 32
	}
	out := make([]byte, 0, size)
	out = append(out, relaySelector...)
	out = appendWord(out, poll)
	out = appendWord(out, 2*32) // the array's offset
	out = appendWord(out, uint64(len(ballots)))
	offset := uint64(len(ballots)) * 32
	for _, b := range ballots {
		out = appendWord(out, offset)
		offset += uint64(ballotHead+1+len(b.Proof)) * 32
	}
	for _, b := range ballots {
		out = appendWord(out, b.Poll)
		out = appendWord(out, uint64(b.Option))
		out = appendWord(out, uint64(b.VoterIndex))
		out = append(out, make([]byte, 12)...)
		out = append(out, b.Voter[:]...)
		out = append(out, b.R[:]...)
		out = append(out, b.Vs[:]...)
		out = appendWord(out, ballotHead*32)
		out = appendWord(out, uint64(len(b.Proof)))
		for _, p := range b.Proof {
			out = append(out, p[:]...)
		}
	}
	return out
}

// appendWord appends v as a 32-byte big-endian ABI word.
func appendWord(out []byte, v uint64) []byte {
	out = append(out, make([]byte, 24)...)
	return binary.BigEndian.AppendUint64(out, v)
}
