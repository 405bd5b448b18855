package docsrun

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/consensus/aura/auratest"
)

// TestIntegrationDocAura runs the Aura proving commands of
// docs/integration.md as printed against citynode dev and a generated Aura
// chain 7802 served as a Parity node serves it (three validators in a
// list): the chain registered at block 1 and posted to its head (8); a
// ballot's receipt in block 5 and slot 7 of the contract deployed in block
// 3, at block 3, proven and verified offline against citychain block hashes
// read from the dev chain itself.
func TestIntegrationDocAura(t *testing.T) {
	t.Parallel()
	s := newSession(t, "docs/integration.md")
	dev := startDev(t, binaries(t))
	ks := auratest.Keys(3)
	voter, err := crypto.ToECDSA(crypto.Keccak256([]byte("docs aura voter")))
	if err != nil {
		t.Fatal(err)
	}
	c := auratest.NewChain(7802, 5, 1000, common.Address{})
	c.Rotate(ks, 2)
	step := c.Head().Step + 1
	polls := c.Emitter(step, ks[step%3], voter)
	c.Rotate(ks, 1)
	step = c.Head().Step + 1
	ballot := c.Emit(step, ks[step%3], voter, polls, []byte("poll 7: yes"))
	c.Rotate(ks, 3)
	node := auratest.Serve(c)
	t.Cleanup(node.Close)

	quoted := make([]string, len(ks))
	for i, k := range ks {
		quoted[i] = `"` + k.Address.Hex() + `"`
	}
	s.File("spec.json", `{"name":"ActiveCitizen","engine":{"authorityRound":{"params":{"stepDuration":5,"validators":{"list":[`+
		strings.Join(quoted, ",")+`]}}}},"params":{"networkID":"0x1e72"}}`)
	s.Setenv("CITYCTL_RPC", dev.URL)
	dev.keystoreFile(t, s, "admin.json", "admin.pw", 0)
	dev.keystoreFile(t, s, "relayer.json", "relayer.pw", 8)
	s.Set("http://10.20.0.5:8545", node.URL)
	s.Set("0xRELAYER", dev.Addrs[8].Hex())

	s.Run("cityctl dept grant CIVIL anchor-relayer 0xRELAYER --keystore admin.json --password admin.pw")
	s.Run("cityctl anchor register --chain-rpc http://10.20.0.5:8545 --chain-spec spec.json --checkpoint 1 --keystore admin.json --password admin.pw", "Registered Aura chain 7802")
	s.Run("cityctl anchor post --chain 7802 --chain-rpc http://10.20.0.5:8545 --chain-spec spec.json --keystore relayer.json --password relayer.pw", "Anchored block 8 "+c.Head().Hash().Hex())

	s.Set("0xTXHASH", ballot.Hash().Hex())
	out := s.Run("cityctl anchor prove --chain 7802 --chain-rpc http://10.20.0.5:8545 --out ballot.json receipt 0xTXHASH", "check it with")
	s.Set("0xBLOCKHASH", trustedHash(t, dev, out.Out()))
	s.Run("cityctl audit verify-proof --trusted-header 0xBLOCKHASH ballot.json", "Proof verified", ballot.Hash().Hex(), c.Blocks[5].Hash().Hex())
	s.Set("0xADDRESS", polls.Hex())
	out = s.Run("cityctl anchor prove --chain 7802 --chain-rpc http://10.20.0.5:8545 --chain-block 3 --out slot.json storage 0xADDRESS 7", "check it with")
	s.Set("0xBLOCKHASH", trustedHash(t, dev, out.Out()))
	s.Run("cityctl audit verify-proof --trusted-header 0xBLOCKHASH slot.json", "Proof verified", c.Blocks[3].Root.Hex(),
		"0x000000000000000000000000000000000000000000000000000000000000002a")
}
