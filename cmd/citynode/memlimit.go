package main

import (
	"os"
	"runtime/debug"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/log"

	"github.com/citychain/citychain/internal/node"
)

// limitMemory sets the Go runtime's soft memory limit from --cache
// (node.MemoryLimit, ADR 066), unless GOMEMLIMIT is set: the operator's
// value, or "off" for none, wins.
func limitMemory(cache int) {
	if v, ok := os.LookupEnv("GOMEMLIMIT"); ok {
		log.Info("Go memory limit from GOMEMLIMIT", "GOMEMLIMIT", v)
		return
	}
	limit := node.MemoryLimit(cache)
	debug.SetMemoryLimit(limit)
	log.Info("Go memory limit set from --cache (GOMEMLIMIT overrides it)", "cache", common.StorageSize(uint64(cache)<<20), "limit", common.StorageSize(limit))
}
