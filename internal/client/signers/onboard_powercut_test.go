package signers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/p2p/enode"

	"github.com/citychain/citychain/internal/cmdkit/keyfiles"
	"github.com/citychain/citychain/internal/testkit/powercut"
)

// onboardGenesis is a minimal Clique genesis with one signer (0xaa..aa),
// enough for Onboard.
var onboardGenesis = `{"config":{"chainId":4242,"homesteadBlock":0,"eip150Block":0,"eip155Block":0,"eip158Block":0,
"byzantiumBlock":0,"constantinopleBlock":0,"petersburgBlock":0,"istanbulBlock":0,"berlinBlock":0,"londonBlock":0,
"terminalTotalDifficulty":115792089237316195423570985008687907853269984665640564039457584007913129639935,
"clique":{"period":1,"epoch":30000}},"difficulty":"0x1","gasLimit":"0x1c9c380",
"extraData":"0x` + strings.Repeat("00", 32) + strings.Repeat("aa", 20) + strings.Repeat("00", 65) + `","alloc":{}}`

// TestOnboardAcrossPowerCut: the signer key and the node key that Onboard
// reported made survive a power cut (internal/testkit/powercut), with the
// data dir and keystore directories it created. geth's keystore and node key
// writers fsync neither file nor directory: without keyfiles.Persist the
// department's join request (written durably) outlived the key it names.
func TestOnboardAcrossPowerCut(t *testing.T) {
	disk := powercut.TempT(t)
	pw := filepath.Join(t.TempDir(), "password") // off the mount: not under test
	gen := filepath.Join(t.TempDir(), "genesis.json")
	for path, data := range map[string]string{pw: "correct horse\n", gen: onboardGenesis} {
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg := OnboardConfig{DataDir: filepath.Join(disk.Dir(), "dept", "data"), Genesis: gen, Password: "correct horse",
		Department: Department{Code: "PARKS", Name: "Parks"}, Host: "127.0.0.1", Port: 30303, Out: filepath.Join(t.TempDir(), "join.json")}
	res, err := Onboard(cfg)
	if err != nil {
		t.Fatal(err)
	}
	powercut.CutAndRemount(t, disk) // mounted again at the same place
	nodeKey, err := crypto.LoadECDSA(res.NodeKey)
	if err != nil {
		t.Fatalf("after the cut the node key %s is gone or empty (%v): the join request's enode names a key the department no longer has", res.NodeKey, err)
	}
	if n, err := enode.ParseV4(res.Request.Enode); err != nil || !n.Pubkey().Equal(&nodeKey.PublicKey) {
		t.Fatalf("after the cut the node key does not match the join request's enode %s (%v)", res.Request.Enode, err)
	}
	accts := keyfiles.Open(keyfiles.Dir(cfg.DataDir)).Accounts()
	if len(accts) != 1 || accts[0].Address != res.Request.Signer {
		t.Fatalf("after the cut the keystore holds %v, want the signer key %s the join request names", accts, res.Request.Signer.Hex())
	}
}
