package main

import (
	"context"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/contracts"
)

// transact sends a transaction to the contract named name (for messages) and
// waits up to two minutes for it; a revert is an error naming the rule.
func transact(ctx context.Context, ec *ethclient.Client, bc *bind.BoundContract, opts *bind.TransactOpts, name string, data []byte) (*types.Receipt, error) {
	tx, err := bind.Transact(bc, opts, data)
	if err != nil {
		if reason := contracts.RevertReason(err); reason != "" {
			return nil, cli.Exit(fmt.Sprintf("refused by the %s contract: %s", name, reason), 1)
		}
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	r, err := bind.WaitMined(ctx, ec, tx.Hash())
	if err != nil {
		return nil, fmt.Errorf("waiting for %s: %w", tx.Hash().Hex(), err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return nil, fmt.Errorf("transaction %s failed in block %d", tx.Hash().Hex(), r.BlockNumber)
	}
	return r, nil
}
