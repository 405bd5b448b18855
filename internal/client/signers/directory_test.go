package signers

import (
	"context"
	"fmt"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/contracts"
)

// directoryHistory is a node whose Directory changed at block 10: before
// it, signer A was in CITYHALL named "City Hall"; from it on, CITYHALL is
// named "Mayor's Office" and A is in no department. It answers eth_getCode
// and eth_call at the block tag asked, and records the tags.
type directoryHistory struct {
	tags []string
}

func (h *directoryHistory) before(tag string) bool {
	n, err := hexutil.DecodeUint64(tag)
	return err == nil && n < 10
}

func (h *directoryHistory) GetCode(addr common.Address, tag string) (hexutil.Bytes, error) {
	h.tags = append(h.tags, tag)
	return hexutil.Bytes{0x60}, nil
}

type callMsg struct {
	To   common.Address `json:"to"`
	Data hexutil.Bytes  `json:"data"`
}

func (h *directoryHistory) Call(msg callMsg, tag string) (hexutil.Bytes, error) {
	h.tags = append(h.tags, tag)
	abi := NewDirectory(nil).abi.GetABI()
	m, err := abi.MethodById(msg.Data)
	if err != nil {
		return nil, err
	}
	code, _ := contracts.Bytes32("CITYHALL")
	switch m.Name {
	case "signerDepartment":
		if h.before(tag) {
			return m.Outputs.Pack(code)
		}
		return m.Outputs.Pack([32]byte{})
	case "departmentInfo":
		name := "Mayor's Office"
		if h.before(tag) {
			name = "City Hall"
		}
		return m.Outputs.Pack(name, true, true)
	}
	return nil, fmt.Errorf("unexpected call %s", m.Name)
}

// TestDirectoryAt reads a signer's department as it was at a past block:
// renamed and unassigned later, it is still City Hall's at block 7, and
// every read is made at block 7; without At, the latest block tells.
func TestDirectoryAt(t *testing.T) {
	srv := rpc.NewServer()
	hist := new(directoryHistory)
	if err := srv.RegisterName("eth", hist); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	rc := rpc.DialInProc(srv)
	t.Cleanup(rc.Close)
	a := common.Address{0xa}
	dir := NewDirectory(NewClient(rc, "inproc"))

	code, name, ok, err := dir.At(7).DepartmentOf(context.Background(), a)
	if err != nil || !ok || code != "CITYHALL" || name != "City Hall" {
		t.Errorf("at block 7: %q %q %v %v; want CITYHALL, City Hall", code, name, ok, err)
	}
	for _, tag := range hist.tags {
		if tag != "0x7" {
			t.Errorf("a read at %q, want every read at block 7 (0x7): %v", tag, hist.tags)
			break
		}
	}
	if code, name, ok, err = dir.DepartmentOf(context.Background(), a); err != nil || ok || code != "" || name != "" {
		t.Errorf("at the latest block: %q %q %v %v; want no department (unassigned at block 10)", code, name, ok, err)
	}
}
