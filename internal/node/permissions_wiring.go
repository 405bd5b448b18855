package node

import (
	"context"
	"errors"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// errSyncSendPermissioned is returned by eth_sendRawTransactionSync on a node
// whose transactions are limited to permitted accounts.
var errSyncSendPermissioned = errors.New("eth_sendRawTransactionSync is not served while --permissions.accounts is on: send with eth_sendRawTransaction and poll eth_getTransactionReceipt")

// permissionedSendAPI replaces go-ethereum's eth_sendRawTransactionSync,
// which hands transactions to the pool without the intake's permission check
// (ADR 051).
type permissionedSendAPI struct{}

// SendRawTransactionSync refuses: see errSyncSendPermissioned.
func (permissionedSendAPI) SendRawTransactionSync(ctx context.Context, input hexutil.Bytes, timeoutMs *uint64) (map[string]any, error) {
	return nil, errSyncSendPermissioned
}

// permissionedAPIs returns the APIs registered (after geth's) when
// permissions are on.
func permissionedAPIs() []rpc.API {
	return []rpc.API{{Namespace: "eth", Service: permissionedSendAPI{}}}
}
