package genesis

import (
	"bytes"
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/tracing"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/core/vm"
	"github.com/ethereum/go-ethereum/params"
	"github.com/holiman/uint256"
)

// TestSystemDeployments checks the embedded keyless deployment transactions
// against what the EIPs print (the transaction hash) and against go-ethereum:
// each one, applied under Shanghai rules with its sender funded, creates its
// contract at go-ethereum's address with go-ethereum's code; under London
// rules it fails (PUSH0), which is why the upgrade deploys them only after
// Shanghai (ADR 063).
func TestSystemDeployments(t *testing.T) {
	var printed []struct {
		EIP int `json:"eip"`
		Tx  struct {
			Hash common.Hash `json:"hash"`
		} `json:"tx"`
	}
	if err := json.Unmarshal(systemDeployJSON, &printed); err != nil {
		t.Fatal(err)
	}
	deps := SystemDeployments()
	if len(deps) != len(systemContracts) || len(printed) != len(deps) {
		t.Fatalf("have %d deployments, want one per system contract (%d)", len(deps), len(systemContracts))
	}
	want := core.SystemContractAllocs()
	for i, d := range deps {
		if d.Tx.Hash() != printed[i].Tx.Hash {
			t.Errorf("EIP-%d: transaction hash %s, the EIP prints %s", d.EIP, d.Tx.Hash(), printed[i].Tx.Hash)
		}
		if d.Address != systemContracts[i].address || d.Fork != systemContracts[i].fork {
			t.Errorf("EIP-%d: creates %s for %s, want go-ethereum's %s for %s", d.EIP, d.Address.Hex(), d.Fork, systemContracts[i].address.Hex(), systemContracts[i].fork)
		}
		if d.Tx.Protected() || d.Tx.Nonce() != 0 || d.Tx.To() != nil {
			t.Errorf("EIP-%d: want an unprotected creation at nonce 0", d.EIP)
		}
		if !IsSystemDeployment(d.Tx) {
			t.Errorf("EIP-%d: IsSystemDeployment is false", d.EIP)
		}
		code, err := applyDeployment(t, d, true)
		if err != nil || !bytes.Equal(code, want[d.Address].Code) {
			t.Errorf("EIP-%d under Shanghai: %v; code %x, want go-ethereum's %x", d.EIP, err, code, want[d.Address].Code)
		}
		if _, err := applyDeployment(t, d, false); err == nil || !strings.Contains(err.Error(), "invalid opcode: PUSH0") {
			t.Errorf("EIP-%d under London: %v, want the invalid opcode PUSH0", d.EIP, err)
		}
	}
}

// applyDeployment applies d's transaction to a state where only its sender
// holds d.Cost, under Shanghai rules if modern and London rules otherwise, and
// returns the code at d.Address.
func applyDeployment(t *testing.T, d SystemDeployment, modern bool) ([]byte, error) {
	t.Helper()
	statedb, err := state.New(types.EmptyRootHash, state.NewDatabaseForTesting())
	if err != nil {
		t.Fatal(err)
	}
	statedb.SetBalance(d.Sender, uint256.MustFromBig(d.Cost()), tracing.BalanceChangeUnspecified)
	// Shanghai only, as on a chain between the upgrade's two stages (later
	// forks of go-ethereum's dev config would charge the code differently).
	cfg := *params.AllDevChainProtocolChanges
	cfg.CancunTime, cfg.PragueTime, cfg.OsakaTime, cfg.BogotaTime, cfg.BlobScheduleConfig = nil, nil, nil, nil, nil
	header := &types.Header{Number: big.NewInt(1), Time: 1, GasLimit: 30_000_000, BaseFee: big.NewInt(params.InitialBaseFee), Difficulty: big.NewInt(1)}
	if modern {
		header.Difficulty = new(big.Int)
		header.MixDigest = common.Hash{1}
	}
	evm := vm.NewEVM(core.NewEVMBlockContext(header, nil, &common.Address{}), statedb, &cfg, vm.Config{})
	msg, err := core.TransactionToMessage(d.Tx, types.HomesteadSigner{}, header.BaseFee)
	if err != nil {
		t.Fatal(err)
	}
	res, err := core.ApplyMessage(evm, msg, core.NewGasPool(header.GasLimit))
	if err != nil {
		return nil, err
	}
	if res.Err != nil {
		return nil, res.Err
	}
	return statedb.GetCode(d.Address), nil
}
