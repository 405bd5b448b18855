package node_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/directory"
	"github.com/citychain/citychain/contracts/predeploy"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node"
)

// TestPermittedAccounts runs a dev node with --permissions.accounts
// directory: a funded account without a role gets a JSON-RPC error naming it
// (code -32003) and its transaction goes nowhere; the admin's grant of a role
// lets it in from the next block.
func TestPermittedAccounts(t *testing.T) {
	accts := genesis.DevAccounts(3)
	admin, stranger := accts[0], accts[1]
	const chainID = 4351
	g := taxOfficeGenesis(t, chainID, accts)
	cfg := node.Defaults()
	cfg.Mode, cfg.DataDir, cfg.Genesis = node.ModeDev, t.TempDir(), g
	cfg.Signer, cfg.DevKey = admin.Address.Hex(), crypto.FromECDSA(admin.Key)
	cfg.HTTP.Enabled, cfg.HTTP.Port = true, 0
	cfg.Permissions.Accounts = "directory"
	n, err := node.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(); err != nil {
		n.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	rc, err := rpc.Dial(n.Stack().HTTPEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	ec := ethclient.NewClient(rc)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	signer := types.LatestSignerForChainID(big.NewInt(chainID))
	send := func(key *genesis.DevAccount, nonce uint64, to *common.Address, data []byte) (*types.Transaction, error) {
		tx := types.MustSignNewTx(key.Key, signer, &types.DynamicFeeTx{ChainID: big.NewInt(chainID), Nonce: nonce,
			GasTipCap: big.NewInt(params.GWei), GasFeeCap: big.NewInt(10 * params.GWei), Gas: 200_000, To: to, Data: data})
		return tx, ec.SendTransaction(ctx, tx)
	}

	// Refused, with a message that says what to do, and not pooled.
	tx, err := send(&stranger, 0, &recipient, nil)
	var rpcErr rpc.Error
	if !errors.As(err, &rpcErr) || rpcErr.ErrorCode() != -32003 ||
		!strings.Contains(err.Error(), stranger.Address.Hex()+" is not permitted on this network: grant it a role with cityctl dept grant") {
		t.Fatalf("stranger's transfer: have %v, want code -32003 naming the account and cityctl dept grant", err)
	}
	if _, pending, err := ec.TransactionByHash(ctx, tx.Hash()); err == nil || pending {
		t.Errorf("stranger's transfer: the node knows it (pending %v, err %v), want not found", pending, err)
	}
	// geth's synchronous send would skip the check: it is refused.
	raw, _ := tx.MarshalBinary()
	if err := rc.CallContext(ctx, nil, "eth_sendRawTransactionSync", hexutil.Bytes(raw)); err == nil || !strings.Contains(err.Error(), "not served while --permissions.accounts is on") {
		t.Errorf("eth_sendRawTransactionSync: have %v, want a refusal", err)
	}
	// The admin (Directory owner) may send; it grants the stranger a role.
	dir := directory.NewDirectory()
	tax, _ := contracts.Bytes32("TAX")
	dirAddr := contracts.DirectoryAddress
	grant, err := send(&admin, 0, &dirAddr, dir.PackGrantRole(tax, uint8(contracts.RoleIssuer), stranger.Address))
	if err != nil {
		t.Fatalf("admin's grant: %v", err)
	}
	if r, err := waitReceipt(ctx, ec, grant.Hash()); err != nil || r.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("admin's grant: receipt %v, %v", r, err)
	}
	// From the next block the stranger may send, but not create contracts.
	if _, err := send(&stranger, 0, &recipient, nil); err != nil {
		t.Errorf("stranger's transfer after the grant: %v", err)
	}
	if _, err := send(&stranger, 1, nil, []byte{0x60, 0x00}); err == nil || !strings.Contains(err.Error(), "deployer role") {
		t.Errorf("stranger's contract creation: have %v, want a refusal naming the deployer role", err)
	}
}

// waitReceipt polls for a receipt until ctx ends.
func waitReceipt(ctx context.Context, ec *ethclient.Client, hash common.Hash) (*types.Receipt, error) {
	for {
		r, err := ec.TransactionReceipt(ctx, hash)
		if err == nil {
			return r, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// taxOfficeGenesis is the genesis of an instant-seal chain (period 0) whose
// only signer, accts[0], administers the pre-deployed registry with one
// department, TAX; every account of accts is funded.
func taxOfficeGenesis(t *testing.T, chainID uint64, accts []genesis.DevAccount) *core.Genesis {
	t.Helper()
	admin := accts[0]
	alloc, err := predeploy.Alloc(predeploy.Config{ChainID: chainID, Admin: admin.Address, Departments: []predeploy.Department{
		{Code: "TAX", Name: "Tax Office", Signers: []common.Address{admin.Address}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Period = chainID, 0
	spec.Signers = []common.Address{admin.Address}
	spec.Alloc = alloc
	for _, a := range accts {
		spec.Alloc[a.Address] = types.Account{Balance: new(big.Int).Lsh(big.NewInt(1), 80)}
	}
	g, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	return g
}
