package main

import (
	"encoding/json"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
)

// maxPollOptions is Polls.MAX_OPTIONS.
const maxPollOptions = 64

var typedOptionFlag = &cli.UintFlag{Name: "option", Usage: "option to put in the message (from 0); a voting app sets the resident's choice there"}

var pollTypedDataCommand = &cli.Command{
	Name:  "typed-data",
	Usage: "print a ballot's EIP-712 typed data, the JSON a wallet's eth_signTypedData_v4 signs",
	Description: `Prints {types, primaryType, domain, message} for Ballot(poll, option) in the Polls
contract's domain. A wallet signs it with eth_signTypedData_v4 (ethers: signTypedData(domain,
types without EIP712Domain, message)); its signature (0x-hex, v 27 or 28) goes unchanged into
the ballot line {"poll", "option", "voter", "voterIndex", "signature", "proof"} that
cityctl poll relay reads, the index and proof coming from the eligibility file. With --rpc the
poll and option are checked and the digest compared with the contract's ballotDigest; with
--chainid nothing is asked of a node. The output is JSON, with or without --json.`,
	Flags:  nodeFlags(pollIDFlag, typedOptionFlag, ballotChain, outFlag),
	Action: pollTypedData,
}

func pollTypedData(ctx *cli.Context) error {
	poll, option := ctx.Uint64(pollIDFlag.Name), ctx.Uint(typedOptionFlag.Name)
	if option >= maxPollOptions {
		return cliutil.Usagef("--option %d: a poll has at most %d options, numbered from 0", option, maxPollOptions)
	}
	dom := ballots.DevDomain(ctx.Uint64(ballotChain.Name))
	if dom.ChainID == 0 {
		c, err := dial(ctx, false)
		if err != nil {
			return err
		}
		defer c.Close()
		if dom, err = c.checkTypedData(poll, uint32(option)); err != nil {
			return err
		}
	}
	out, err := json.MarshalIndent(dom.TypedData(poll, uint32(option)), "", "  ")
	if err != nil {
		return err
	}
	return writeOut(ctx, append(out, '\n'))
}

// checkTypedData checks that the poll exists and has the option, and that
// the contract's ballotDigest is the digest of the typed data in the node's
// chain's domain, which it returns.
func (c *conn) checkTypedData(poll uint64, option uint32) (ballots.Domain, error) {
	id, err := c.ChainID(c.ctx)
	if err != nil {
		return ballots.Domain{}, err
	}
	dom := ballots.DevDomain(id.Uint64())
	info, err := c.getPoll(poll)
	if err != nil {
		return dom, err
	}
	if option >= info.OptionCount {
		return dom, cliutil.Usagef("--option %d: poll %d has %d options, numbered from 0", option, poll, info.OptionCount)
	}
	digest, err := read(c, "Polls.ballotDigest", contracts.PollsAddress, pollsABI.PackBallotDigest(poll, option), pollsABI.UnpackBallotDigest)
	if err != nil {
		return dom, err
	}
	if want := dom.Digest(poll, option); digest != want {
		return dom, cli.Exit(fmt.Sprintf("the Polls contract at %s signs ballots with digest %x, the typed data hashes to %x: the node runs another contract", contracts.PollsAddress.Hex(), digest, want), 1)
	}
	return dom, nil
}
