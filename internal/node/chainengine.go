package node

import (
	"fmt"
	"reflect"
	"unsafe"

	"github.com/ethereum/go-ethereum/consensus"
	"github.com/ethereum/go-ethereum/eth"

	"github.com/citychain/citychain/consensus/clique"
	"github.com/citychain/citychain/genesis"
)

// installChainEngine gives go-ethereum's chain our engine for post-transition
// blocks when the chain schedules the transition (ADR 044): eth.New wraps
// upstream Clique in the beacon wrapper, which takes a difficulty-0 header for
// proof of stake. The engine is held in unexported fields of eth.Ethereum,
// core.BlockChain, core.HeaderChain and miner.Miner; each is replaced before
// anything runs. A London chain keeps go-ethereum's engine untouched.
func installChainEngine(backend *eth.Ethereum, engine *clique.Engine) error {
	if !genesis.ForksOf(backend.BlockChain().Config()).Any() {
		return nil
	}
	chainEngine := clique.NewChainEngine(engine, backend.Engine())
	targets := []struct {
		name  string
		owner any
	}{
		{"eth.Ethereum", backend},
		{"core.BlockChain", backend.BlockChain()},
		{"core.HeaderChain", backend.BlockChain().HeaderChain()},
		{"miner.Miner", backend.Miner()},
	}
	for _, t := range targets {
		if err := setEngine(t.owner, chainEngine); err != nil {
			return fmt.Errorf("install the post-transition engine in %s: %w: this build's go-ethereum differs from the one citychain pins (ADR 044)", t.name, err)
		}
	}
	return nil
}

// setEngine replaces the unexported field engine (a consensus.Engine) of the
// struct owner points to.
func setEngine(owner any, engine consensus.Engine) error {
	v := reflect.ValueOf(owner)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("have %T, want a pointer to a struct", owner)
	}
	f := v.Elem().FieldByName("engine")
	if !f.IsValid() {
		return fmt.Errorf("%T has no field engine", owner)
	}
	if f.Type() != reflect.TypeFor[consensus.Engine]() {
		return fmt.Errorf("field engine of %T is a %s, want consensus.Engine", owner, f.Type())
	}
	reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Set(reflect.ValueOf(&engine).Elem())
	return nil
}
