package signers

import (
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/p2p/enode"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/genesis/joinrequest"
	"github.com/citychain/citychain/internal/cmdkit/atomicfile"
	"github.com/citychain/citychain/internal/cmdkit/keyfiles"
)

// OnboardConfig is what a department's machine needs to ask to become a
// signer.
type OnboardConfig struct {
	DataDir    string     // citynode data dir of the new node
	Password   string     // keystore password for the new signer key
	Genesis    string     // the network's genesis.json
	Department Department // who asks
	Host       string     // IP address the other members reach this node's devp2p port at
	Port       int        // devp2p port
	Out        string     // where to write the join request
	Now        time.Time  // creation time of the request; zero: now
}

// Validate checks the configuration before anything is written.
func (c *OnboardConfig) Validate() error {
	var errs []error
	if c.DataDir == "" {
		errs = append(errs, errors.New("no data directory: set --datadir"))
	}
	if c.Password == "" {
		errs = append(errs, errors.New("empty password: the signer key must be encrypted; put a password in the --password file"))
	}
	if c.Genesis == "" {
		errs = append(errs, errors.New("no genesis: set --genesis to the network's genesis.json"))
	}
	if err := c.Department.Check(); err != nil {
		errs = append(errs, fmt.Errorf("%w (set --department.code and --department.name)", err))
	}
	if ip := net.ParseIP(c.Host); ip == nil || ip.IsUnspecified() {
		errs = append(errs, fmt.Errorf("invalid --p2p.addr %q: want the IP address the other members reach this node at", c.Host))
	}
	if c.Port <= 0 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("invalid --port: have %d, want 1..65535", c.Port))
	}
	if c.Out == "" {
		errs = append(errs, errors.New("no output file: set --out"))
	} else if _, err := os.Stat(c.Out); err == nil {
		errs = append(errs, fmt.Errorf("%s already exists: a department onboards once; remove it to start over", c.Out))
	}
	return errors.Join(errs...)
}

// Onboarded is what Onboard created.
type Onboarded struct {
	Request *JoinRequest
	Keyfile string // encrypted signer key in the keystore
	NodeKey string // devp2p node key file
	Reused  bool   // the node key existed and was kept
}

// Onboard creates the signer key in the data dir's encrypted keystore, the
// node key where citynode reads it (kept if there is one already), and writes
// the join request, signed by the new key, to cfg.Out. The private keys never
// leave the keystore and the node key file.
func Onboard(cfg OnboardConfig) (*Onboarded, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	g, err := loadCityGenesis(cfg.Genesis)
	if err != nil {
		return nil, err
	}
	// The node key: citynode reads DATADIR/citynode/nodekey.
	out := &Onboarded{NodeKey: keyfiles.NodeKeyPath(cfg.DataDir)}
	nodeKey, made, err := keyfiles.NodeKey(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	out.Reused = !made
	enodeURL := enode.NewV4(&nodeKey.PublicKey, net.ParseIP(cfg.Host), cfg.Port, cfg.Port).URLv4()

	// The signer key: made here, signs the request, then goes encrypted into
	// the keystore.
	key, err := crypto.GenerateKey()
	if err != nil {
		return nil, err
	}
	now := cfg.Now
	if now.IsZero() {
		now = time.Now()
	}
	req, err := joinrequest.New(key, g.Config.ChainID.Uint64(), g.ToBlock().Hash(), cfg.Department, enodeURL, now)
	if err != nil {
		return nil, err
	}
	acct, err := keyfiles.Open(keyfiles.Dir(cfg.DataDir)).ImportECDSA(key, cfg.Password)
	if err != nil {
		return nil, fmt.Errorf("store signer key in %s: %w", keyfiles.Dir(cfg.DataDir), err)
	}
	out.Keyfile = acct.URL.Path
	if err := keyfiles.Persist(out.Keyfile); err != nil {
		return nil, err
	}
	if err := atomicfile.Write(cfg.Out, req.Encode(), 0o644); err != nil {
		return nil, fmt.Errorf("write join request: %w", err)
	}
	out.Request = req
	return out, nil
}

// loadCityGenesis loads the genesis file at path, which must have a chain id
// and a clique section.
func loadCityGenesis(path string) (*core.Genesis, error) {
	g, err := genesis.Load(path)
	if err != nil {
		return nil, err
	}
	if g.Config == nil || g.Config.ChainID == nil || g.Config.Clique == nil {
		return nil, fmt.Errorf("%s is not a citychain genesis (no chain id or clique section)", path)
	}
	return g, nil
}
