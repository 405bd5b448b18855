package genesis

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// SystemDeployment is the keyless deployment transaction of one system
// contract, as its EIP publishes it (ADR 063): a pre-EIP-155 contract
// creation whose signature was chosen, not made by a key, so that nobody
// holds the sender's key and nonce 0 of the sender creates the contract at
// its canonical address on every chain.
type SystemDeployment struct {
	EIP     int
	Name    string
	Fork    string         // the fork from which blocks call the contract: "cancun" or "prague"
	Sender  common.Address // the keyless deployer, to be funded with Cost
	Address common.Address // the contract's address: the sender's first creation
	Tx      *types.Transaction
}

// Cost is what the deployer account must hold for the transaction: its gas
// limit at its fixed gas price (the transaction's value is 0).
func (d SystemDeployment) Cost() *big.Int {
	return new(big.Int).Mul(d.Tx.GasPrice(), new(big.Int).SetUint64(d.Tx.Gas()))
}

// systemDeployJSON holds the four deployment transactions as the EIPs print
// them (EIPS/eip-4788.md, eip-2935.md, eip-7002.md, eip-7251.md of
// ethereum/EIPs at f767a1e8078e17c9b381a91d35a09492189ede1b, extracted by a
// script, not typed). TestSystemDeployments checks each one: its hash, its
// sender, its address, and the code its creation leaves, which must be
// go-ethereum's.
//
//go:embed systemdeploy.json
var systemDeployJSON []byte

var systemDeployments = mustParseSystemDeployments(systemDeployJSON)

// SystemDeployments returns the keyless deployment transactions of the
// system contracts blocks call from Cancun (EIP-4788) and Prague (EIP-2935,
// EIP-7002, EIP-7251), in that order.
func SystemDeployments() []SystemDeployment {
	return append([]SystemDeployment(nil), systemDeployments...)
}

// IsSystemDeployment reports whether tx is one of the four keyless
// deployment transactions.
func IsSystemDeployment(tx *types.Transaction) bool {
	for _, d := range systemDeployments {
		if d.Tx.Hash() == tx.Hash() {
			return true
		}
	}
	return false
}

func mustParseSystemDeployments(data []byte) []SystemDeployment {
	var raw []struct {
		EIP     int                `json:"eip"`
		Name    string             `json:"name"`
		Fork    string             `json:"fork"`
		Sender  common.Address     `json:"sender"`
		Address common.Address     `json:"address"`
		Tx      *types.Transaction `json:"tx"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		panic(fmt.Sprintf("genesis/systemdeploy.json: %v", err))
	}
	out := make([]SystemDeployment, len(raw))
	for i, r := range raw {
		tx := r.Tx
		if tx == nil {
			panic(fmt.Sprintf("genesis/systemdeploy.json: EIP-%d: no transaction", r.EIP))
		}
		from, err := types.HomesteadSigner{}.Sender(tx)
		if err != nil || from != r.Sender || crypto.CreateAddress(from, 0) != r.Address {
			panic(fmt.Sprintf("genesis/systemdeploy.json: EIP-%d: sender %s (%v), want %s creating %s", r.EIP, from.Hex(), err, r.Sender.Hex(), r.Address.Hex()))
		}
		out[i] = SystemDeployment{EIP: r.EIP, Name: r.Name, Fork: r.Fork, Sender: r.Sender, Address: r.Address, Tx: tx}
	}
	return out
}
