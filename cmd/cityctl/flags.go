package main

import (
	"slices"
	"time"

	"github.com/urfave/cli/v2"
)

// Flag categories of the shared flags, as shown by --help; a command's own
// flags are listed first, without a category.
const (
	catNode    = "NODE"
	catAccount = "ACCOUNT"
	catOutput  = "OUTPUT"
)

// The shared flags: every command that talks to a node takes --rpc and
// --json; every command that sends transactions also takes the account flags
// and --wait. Every flag of cityctl is also read from CITYCTL_<NAME>
// (cliutil.DeriveEnv): CITYCTL_RPC, CITYCTL_KEYSTORE, ...
var (
	rpcFlag      = &cli.StringFlag{Name: "rpc", Usage: "JSON-RPC URL of the node", Value: "http://127.0.0.1:8545", Category: catNode}
	rpcCAFlag    = &cli.StringFlag{Name: "rpc.ca", Usage: "PEM file of the certificate authorities to trust for an https:// or wss:// --rpc (a node whose --http.tls.cert a private CA signed); default: the system's", Category: catNode}
	jwtFlag      = &cli.StringFlag{Name: "jwtsecret", Usage: "file with the JWT secret of a signer's control listener (<datadir>/citynode/jwtsecret); votes (signer propose, discard, approve, remove) need --rpc at that listener, e.g. http://127.0.0.1:8551", Category: catNode}
	waitFlag     = &cli.DurationFlag{Name: "wait", Usage: "longest wait for each transaction to be mined (stall draw: also for the round's close and draw block; signer remove waits for the removal only if given)", Value: 2 * time.Minute, Category: catNode}
	keystoreFlag = &cli.StringFlag{Name: "keystore", Usage: "the sending account's key: a keystore file (Web3 Secret Storage JSON), or a keystore directory with --from", Category: catAccount}
	fromFlag     = &cli.StringFlag{Name: "from", Usage: "address of the sending account in the --keystore directory", Category: catAccount}
	passwordFlag = &cli.StringFlag{Name: "password", Usage: "file holding the keystore password (its first line)", Category: catAccount}
	keyFlag      = &cli.StringFlag{Name: "key", Usage: "file holding a hex private key, for dev chains (a key `citynode dev` prints); real accounts use --keystore", Category: catAccount}
	jsonFlag     = &cli.BoolFlag{Name: "json", Usage: "print the result as JSON, for scripts", Category: catOutput}
	outFlag      = &cli.StringFlag{Name: "out", Usage: "file to write (default: standard output)", Category: catOutput}
	genesisFlag  = &cli.StringFlag{Name: "genesis", Usage: "the network's genesis.json", Required: true}

	// The window of a poll or an application round.
	opensFlag  = &cli.StringFlag{Name: "opens", Usage: "opening time: RFC 3339, or +DURATION from now (chain time)", Value: "+0s"}
	closesFlag = &cli.StringFlag{Name: "closes", Usage: "closing time: RFC 3339, or +DURATION from now (chain time)", Required: true}
)

// nodeFlags are the flags of a command that reads from a node, after its own.
func nodeFlags(own ...cli.Flag) []cli.Flag {
	return slices.Concat(own, []cli.Flag{rpcFlag, rpcCAFlag, jwtFlag, jsonFlag})
}

// keyFlags are the flags of a command that signs with an account's key
// without sending a transaction, after its own.
func keyFlags(own ...cli.Flag) []cli.Flag {
	return slices.Concat(own, []cli.Flag{rpcFlag, rpcCAFlag, keystoreFlag, fromFlag, passwordFlag, keyFlag, jsonFlag})
}

// signFlags are the flags of a command that sends transactions, after its own.
func signFlags(own ...cli.Flag) []cli.Flag {
	return slices.Concat(own, []cli.Flag{rpcFlag, rpcCAFlag, waitFlag, keystoreFlag, fromFlag, passwordFlag, keyFlag, jsonFlag})
}

// offlineFlags are the flags of a command that needs no node, after its own.
func offlineFlags(own ...cli.Flag) []cli.Flag {
	return slices.Concat(own, []cli.Flag{jsonFlag})
}
