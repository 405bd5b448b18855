package node

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/rpc"
)

// refusedCode is the JSON-RPC error code of a method an auditor refuses: the
// code of "method not available", which clients already handle, as geth
// answers for the namespaces an auditor does not serve at all.
const refusedCode = -32601

// ReadOnlyError is the JSON-RPC error an auditor answers to a method that
// would submit a transaction, sign, or change the node.
type ReadOnlyError struct{ Method string }

// Error implements error.
func (e *ReadOnlyError) Error() string {
	return fmt.Sprintf("citynode auditor mode is read-only: %s is refused; send transactions to a signer or rpc node", e.Method)
}

// ErrorCode implements rpc.Error.
func (e *ReadOnlyError) ErrorCode() int { return refusedCode }

// arg is an optional JSON-RPC argument the refusing methods accept and
// ignore, so that a call with the usual parameters gets the refusal, not an
// argument error.
type arg = *json.RawMessage

// ethRefusals are the eth_* methods that submit or sign transactions or data.
type ethRefusals struct{}

func (ethRefusals) SendRawTransaction(arg, arg, arg) error {
	return &ReadOnlyError{"eth_sendRawTransaction"}
}
func (ethRefusals) SendRawTransactionSync(arg, arg, arg) error {
	return &ReadOnlyError{"eth_sendRawTransactionSync"}
}
func (ethRefusals) SendTransaction(arg, arg, arg) error { return &ReadOnlyError{"eth_sendTransaction"} }
func (ethRefusals) Sign(arg, arg, arg) error            { return &ReadOnlyError{"eth_sign"} }
func (ethRefusals) SignTransaction(arg, arg, arg) error { return &ReadOnlyError{"eth_signTransaction"} }
func (ethRefusals) SignTypedData(arg, arg, arg) error   { return &ReadOnlyError{"eth_signTypedData"} }
func (ethRefusals) SignTypedData_v4(arg, arg, arg) error {
	return &ReadOnlyError{"eth_signTypedData_v4"}
}

// FillTransaction fills in defaults from the node's view of an account; it
// reads only, but it exists to prepare eth_signTransaction, which an auditor
// refuses, so it is refused as well.
func (ethRefusals) FillTransaction(arg, arg, arg) error { return &ReadOnlyError{"eth_fillTransaction"} }
func (ethRefusals) Resend(arg, arg, arg) error          { return &ReadOnlyError{"eth_resend"} }

// cityRefusals are the city_* methods that submit transactions.
type cityRefusals struct{}

func (cityRefusals) SendRawTransactions(arg, arg, arg) error {
	return &ReadOnlyError{"city_sendRawTransactions"}
}

// cliqueRefusals are the clique_* methods that change what this node votes.
type cliqueRefusals struct{}

func (cliqueRefusals) Propose(arg, arg, arg) error { return &ReadOnlyError{"clique_propose"} }
func (cliqueRefusals) Discard(arg, arg, arg) error { return &ReadOnlyError{"clique_discard"} }

// readOnlyAPIs are registered last on an auditor: geth's RPC registry merges
// services method by method and the later registration wins, so these replace
// the writing methods of geth, the intake and the engine in the namespaces an
// auditor serves.
func readOnlyAPIs() []rpc.API {
	return []rpc.API{
		{Namespace: "eth", Service: ethRefusals{}},
		{Namespace: "city", Service: cityRefusals{}},
		{Namespace: "clique", Service: cliqueRefusals{}},
	}
}

// auditorModules drops the namespaces that control the node (admin, debug,
// miner, personal) from those served: an auditor never serves them, whatever
// the configuration lists, so calls to them fail with "method not available".
func auditorModules(apis []string) []string {
	kept := slices.DeleteFunc(slices.Clone(apis), func(api string) bool { return slices.Contains(adminAPIs, api) })
	if len(kept) != len(apis) {
		log.Warn("Auditor mode never serves admin namespaces; ignoring them", "listed", strings.Join(apis, ","), "served", strings.Join(kept, ","))
	}
	return kept
}
