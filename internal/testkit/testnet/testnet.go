// Package testnet starts, inspects and stops a local consortium of real
// citynode processes on 127.0.0.1: generated genesis, signer keys, node keys,
// free ports, static peering and an allowlist. Operators use it (through
// `cityctl testnet`) to try a network in one command; tests use it to run the
// network as separate processes.
package testnet

import (
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/p2p/enode"

	"github.com/citychain/citychain/contracts/predeploy"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/cmdkit/atomicfile"
	"github.com/citychain/citychain/internal/testkit/freeport"
)

// Roles of a node.
const (
	RoleSigner = "signer"
	RoleRPC    = "rpc"
)

const (
	stateFile    = "testnet.json"
	passwordText = "testnet" // keystore password of the generated signer keys (a local test network)
	startTimeout = 60 * time.Second
	stopTimeout  = 30 * time.Second
	portAttempts = 3 // tries of Up when a picked port was taken meanwhile
)

// Config describes a network to start.
type Config struct {
	Dir      string // directory holding everything of the network
	Binary   string // path of the citynode binary
	Signers  int    // number of signer nodes
	RPC      int    // number of rpc nodes
	Period   uint64 // seconds between blocks
	ChainID  uint64
	GasLimit uint64
	Extra    []string // extra flags for every node

	// Genesis, if set, is the path of a genesis to run instead of a
	// generated one (no faucet, no registry unless it holds them): its
	// Clique signers are the signer nodes, in order, with SignerKeys (hex
	// key files, one per signer) as their keys; ChainID, Period and
	// GasLimit are the genesis's.
	Genesis    string
	SignerKeys []string

	// Forks, for a generated genesis, schedules the transition to Shanghai,
	// Cancun and Prague rules (ADR 044); none: London rules.
	Forks genesis.Forks

	// Place, if set, puts each node on a host of its own (the fault suite
	// runs every node in a network namespace of internal/testkit/netlab);
	// unset, every node listens on 127.0.0.1 of this host.
	Place func(name string) Placement
	// BeforeStart, if set, is called once every node is prepared (ports,
	// enodes and command lines known) and before any starts: the fault
	// suite puts its delay relays on the nodes' p2p ports there.
	BeforeStart func(nw *Network) error
}

// Placement is where a node runs: the address its listeners bind and its
// peers dial, and the network namespace its process enters (empty: this
// host's). A namespace needs root and the ip command.
type Placement struct {
	Addr  string
	Netns string
}

func (c *Config) placement(name string) Placement {
	if c.Place == nil {
		return Placement{Addr: "127.0.0.1"}
	}
	return c.Place(name)
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	switch {
	case c.Dir == "":
		return errors.New("no directory: set --dir")
	case c.Signers < 1 || c.Signers > 32:
		return fmt.Errorf("invalid signer count (--signers): have %d, want 1..32", c.Signers)
	case c.RPC < 0 || c.RPC > 32:
		return fmt.Errorf("invalid rpc node count (--rpc-nodes): have %d, want 0..32", c.RPC)
	case c.ChainID == 0 && c.Genesis == "":
		return errors.New("chain id (--chainid) must be above zero")
	case c.Genesis != "" && len(c.SignerKeys) != c.Signers:
		return fmt.Errorf("a given genesis needs one signer key per signer node (--signer-key): have %d keys, %d signers", len(c.SignerKeys), c.Signers)
	case c.Genesis == "" && len(c.SignerKeys) > 0:
		return errors.New("signer keys (--signer-key) are for a given genesis (--genesis)")
	}
	if _, err := os.Stat(c.Binary); err != nil {
		return fmt.Errorf("citynode binary %q not found: build it with `make build` or pass --bin", c.Binary)
	}
	return nil
}

// Node is one process of the network, as printed by `cityctl testnet up`.
type Node struct {
	Name    string         `json:"name"`
	Role    string         `json:"role"`
	Address common.Address `json:"address"` // signer account; zero for rpc nodes
	Enode   string         `json:"enode"`
	RPC     string         `json:"rpc"`
	Metrics string         `json:"metrics"`
	PID     int            `json:"pid"`
	// Control is a signer's control listener, which takes its votes with
	// the JWT secret in JWTSecret (ADR 062); empty for rpc nodes.
	Control   string `json:"control,omitempty"`
	JWTSecret string `json:"jwtsecret,omitempty"`
	// Netns is the network namespace the process runs in, if any (Config.Place).
	Netns string `json:"netns,omitempty"`

	DataDir string   `json:"datadir"`
	Log     string   `json:"log"`
	Args    []string `json:"args"`
}

// Network is the saved state of a test network.
type Network struct {
	Dir     string           `json:"dir"`
	Binary  string           `json:"binary"`
	ChainID uint64           `json:"chainId"`
	Genesis string           `json:"genesis"` // path of the genesis file
	Faucet  string           `json:"faucet"`  // hex private key of a funded account for tests
	Nodes   []*Node          `json:"nodes"`
	Funded  []common.Address `json:"funded"`
	Extra   []string         `json:"extra,omitempty"` // extra flags of every node, for nodes that join later
	// Registry holds the addresses of the pre-deployed registry contracts by
	// name; the faucet is the city admin, department DEPTn runs signer n.
	Registry map[string]common.Address `json:"registry,omitempty"`
}

// Up creates and starts a network. It refuses a directory that already holds one.
func Up(cfg Config) (*Network, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(cfg.Dir, stateFile)); err == nil {
		return nil, fmt.Errorf("%s already holds a test network: stop it with `cityctl testnet down --dir %s` or use another --dir", cfg.Dir, cfg.Dir)
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot make the network's directory (%w): give --dir a directory you can create and write", err)
	}
	for attempt := 1; ; attempt++ {
		nw, err := up(cfg)
		if err == nil {
			return nw, nil
		}
		if !errors.Is(err, errPortTaken) || attempt == portAttempts {
			return nil, err
		}
		// A port picked free was taken by another process before the
		// node bound it (free ports are only free when picked): start
		// again from scratch with new ports.
		if err := nw.remove(); err != nil {
			return nil, err
		}
	}
}

// up makes and starts a network in cfg.Dir. On failure it returns the
// network made so far, stopped, so that Up can remove it.
func up(cfg Config) (*Network, error) {
	nw := &Network{Dir: cfg.Dir, Binary: cfg.Binary, ChainID: cfg.ChainID, Extra: cfg.Extra}
	var (
		signerKeys []*ecdsa.PrivateKey
		signers    []common.Address
		err        error
	)
	if cfg.Genesis != "" {
		signerKeys, signers, err = nw.useGenesis(cfg)
	} else {
		signerKeys, signers, err = nw.makeGenesis(cfg)
	}
	if err != nil {
		return nw, err
	}
	return nw, nw.startNodes(cfg, signerKeys, signers)
}

// useGenesis copies the given genesis into the network and reads the signer
// keys, which must be the genesis's signers in order.
func (nw *Network) useGenesis(cfg Config) ([]*ecdsa.PrivateKey, []common.Address, error) {
	g, err := genesis.Load(cfg.Genesis)
	if err != nil {
		return nil, nil, err
	}
	signers, err := genesis.Signers(g)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", cfg.Genesis, err)
	}
	if len(signers) != len(cfg.SignerKeys) {
		return nil, nil, fmt.Errorf("%s has %d signers, %d signer keys given (--signer-key, one per signer)", cfg.Genesis, len(signers), len(cfg.SignerKeys))
	}
	keys := make([]*ecdsa.PrivateKey, len(signers))
	for i, file := range cfg.SignerKeys {
		if keys[i], err = crypto.LoadECDSA(file); err != nil {
			return nil, nil, fmt.Errorf("signer key %s: %w", file, err)
		}
		if a := crypto.PubkeyToAddress(keys[i].PublicKey); a != signers[i] {
			return nil, nil, fmt.Errorf("signer key %s is %s, but the genesis's signer %d is %s (give the keys in the genesis's order)", file, a, i+1, signers[i])
		}
	}
	nw.ChainID = g.Config.ChainID.Uint64()
	nw.Genesis = filepath.Join(cfg.Dir, "genesis.json")
	return keys, signers, writeJSON(nw.Genesis, g)
}

// makeGenesis generates the signer keys, a faucet and the genesis, with the
// municipal registry pre-deployed.
func (nw *Network) makeGenesis(cfg Config) ([]*ecdsa.PrivateKey, []common.Address, error) {
	// Keys first: the genesis needs the signers, the peers need the node keys.
	signerKeys := make([]*ecdsa.PrivateKey, cfg.Signers)
	var signers []common.Address
	for i := range signerKeys {
		key, err := crypto.GenerateKey()
		if err != nil {
			return nil, nil, err
		}
		signerKeys[i] = key
		signers = append(signers, crypto.PubkeyToAddress(key.PublicKey))
	}
	faucet, err := crypto.GenerateKey()
	if err != nil {
		return nil, nil, err
	}
	nw.Faucet = hex.EncodeToString(crypto.FromECDSA(faucet))
	alloc := types.GenesisAlloc{}
	rich := new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(1e18))
	for _, a := range append([]common.Address{crypto.PubkeyToAddress(faucet.PublicKey)}, signers...) {
		alloc[a] = types.Account{Balance: rich}
		nw.Funded = append(nw.Funded, a)
	}
	// The municipal registry, with the faucet as city admin and one
	// department per signer (DEPT1 runs signer1, ...), so that the signer
	// tools can show departments; the admin grants roles as needed.
	registry := predeploy.Config{ChainID: cfg.ChainID, Admin: crypto.PubkeyToAddress(faucet.PublicKey)}
	for i, s := range signers {
		registry.Departments = append(registry.Departments, predeploy.Department{
			Code: fmt.Sprintf("DEPT%d", i+1), Name: fmt.Sprintf("Department %d", i+1), Signers: []common.Address{s},
		})
	}
	contractsAlloc, err := predeploy.Alloc(registry)
	if err != nil {
		return nil, nil, err
	}
	maps.Copy(alloc, contractsAlloc)
	nw.Registry = predeploy.Addresses()
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Period, spec.Signers, spec.Alloc, spec.Forks = cfg.ChainID, cfg.Period, signers, alloc, cfg.Forks
	if cfg.GasLimit != 0 {
		spec.GasLimit = cfg.GasLimit
	}
	g, err := genesis.Build(spec)
	if err != nil {
		return nil, nil, err
	}
	nw.Genesis = filepath.Join(cfg.Dir, "genesis.json")
	return signerKeys, signers, writeJSON(nw.Genesis, g)
}

// startNodes makes every node's data dir, peers them and starts them.
func (nw *Network) startNodes(cfg Config, signerKeys []*ecdsa.PrivateKey, signers []common.Address) error {
	password := filepath.Join(cfg.Dir, "password")
	if err := os.WriteFile(password, []byte(passwordText+"\n"), 0o600); err != nil {
		return err
	}
	for i := 0; i < cfg.Signers+cfg.RPC; i++ {
		role, name := RoleSigner, fmt.Sprintf("signer%d", i+1)
		if i >= cfg.Signers {
			role, name = RoleRPC, fmt.Sprintf("rpc%d", i-cfg.Signers+1)
		}
		n := &Node{Name: name, Role: role, DataDir: filepath.Join(cfg.Dir, name)}
		if role == RoleSigner {
			n.Address = signers[i]
		}
		if err := nw.prepare(n, cfg, password, signerKey(signerKeys, i)); err != nil {
			return err
		}
		nw.Nodes = append(nw.Nodes, n)
	}
	// Full mesh of static peers, and an allowlist of exactly these nodes.
	var allow []string
	for _, n := range nw.Nodes {
		allow = append(allow, n.Enode)
	}
	if err := os.WriteFile(nw.allowlistPath(), []byte("# citychain test network members\n"+strings.Join(allow, "\n")+"\n"), 0o600); err != nil {
		return err
	}
	for _, n := range nw.Nodes {
		var peers []string
		for _, p := range nw.Nodes {
			if p != n {
				peers = append(peers, p.Enode)
			}
		}
		n.Args = append(n.Args, "--staticnodes", strings.Join(peers, ","), "--p2p.allowlist", nw.allowlistPath())
		n.Args = append(n.Args, cfg.Extra...)
	}
	if err := nw.Save(); err != nil {
		return err
	}
	if cfg.BeforeStart != nil {
		if err := cfg.BeforeStart(nw); err != nil {
			return err
		}
	}
	for _, n := range nw.Nodes {
		if err := nw.Start(n.Name); err != nil {
			nw.Down()
			return err
		}
	}
	for _, n := range nw.Nodes {
		if err := waitRPC(n, startTimeout); err != nil {
			nw.Down()
			return err
		}
	}
	return nil
}

func signerKey(keys []*ecdsa.PrivateKey, i int) *ecdsa.PrivateKey {
	if i < len(keys) {
		return keys[i]
	}
	return nil
}

// prepare initialises a node's data dir, keys, ports and command line.
func (nw *Network) prepare(n *Node, cfg Config, password string, signer *ecdsa.PrivateKey) error {
	if out, err := exec.Command(cfg.Binary, "init", "--datadir", n.DataDir, nw.Genesis).CombinedOutput(); err != nil {
		return fmt.Errorf("init %s: %v\n%s", n.Name, err, out)
	}
	nodeKey, err := crypto.GenerateKey()
	if err != nil {
		return err
	}
	if err := crypto.SaveECDSA(filepath.Join(n.DataDir, "citynode", "nodekey"), nodeKey); err != nil {
		return err
	}
	p2pPort, err := freePort()
	if err != nil {
		return err
	}
	httpPort, err := freePort()
	if err != nil {
		return err
	}
	metricsPort, err := freePort()
	if err != nil {
		return err
	}
	place := cfg.placement(n.Name)
	ip := net.ParseIP(place.Addr)
	if ip == nil {
		return fmt.Errorf("placement of %s: %q is not an IP address", n.Name, place.Addr)
	}
	n.Netns = place.Netns
	n.Enode = enode.NewV4(&nodeKey.PublicKey, ip, p2pPort, 0).URLv4()
	n.RPC = fmt.Sprintf("http://%s:%d", place.Addr, httpPort)
	n.Metrics = fmt.Sprintf("http://%s:%d/metrics", place.Addr, metricsPort)
	n.Log = filepath.Join(n.DataDir, "citynode.log")
	n.Args = []string{"--datadir", n.DataDir, "--port", fmt.Sprint(p2pPort), "--p2p.addr", place.Addr, "--nodiscover",
		"--http", "--http.addr", place.Addr, "--http.port", fmt.Sprint(httpPort),
		"--metrics", "--metrics.addr", place.Addr, "--metrics.port", fmt.Sprint(metricsPort)}
	if signer != nil {
		keyFile := filepath.Join(n.DataDir, "signer.key")
		if err := os.WriteFile(keyFile, []byte(hex.EncodeToString(crypto.FromECDSA(signer))), 0o600); err != nil {
			return err
		}
		out, err := exec.Command(cfg.Binary, "account", "import", "--datadir", n.DataDir, "--password", password, keyFile).CombinedOutput()
		os.Remove(keyFile)
		if err != nil {
			return fmt.Errorf("import signer key of %s: %v\n%s", n.Name, err, out)
		}
		n.Args = append(n.Args, "--signer", n.Address.Hex(), "--password", password)
		if err := n.controlListener(place.Addr); err != nil {
			return err
		}
	} else {
		n.Args = append(n.Args, "--mode", "rpc")
	}
	return nil
}

// controlListener gives a signer its control listener on a free port
// (several signers share the host) and records where its secret is.
func (n *Node) controlListener(addr string) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	n.Control = fmt.Sprintf("http://%s:%d", addr, port)
	n.JWTSecret = filepath.Join(n.DataDir, "citynode", "jwtsecret")
	n.Args = append(n.Args, "--authrpc.addr", addr, "--authrpc.port", fmt.Sprint(port))
	return nil
}

// Add creates and starts one more node of the given role that peers with every
// node of the network: a late joiner, which must catch up. A signer added so is
// not authorized until the signers vote it in (clique_propose).
func (nw *Network) Add(role string) (*Node, error) {
	count := 1
	for _, n := range nw.Nodes {
		if n.Role == role {
			count++
		}
	}
	n := &Node{Name: fmt.Sprintf("%s%d", role, count), Role: role}
	n.DataDir = filepath.Join(nw.Dir, n.Name)
	var key *ecdsa.PrivateKey
	switch role {
	case RoleSigner:
		var err error
		if key, err = crypto.GenerateKey(); err != nil {
			return nil, err
		}
		n.Address = crypto.PubkeyToAddress(key.PublicKey)
	case RoleRPC:
	default:
		return nil, fmt.Errorf("unknown role %q: want %s or %s", role, RoleSigner, RoleRPC)
	}
	cfg := Config{Binary: nw.Binary}
	if err := nw.prepare(n, cfg, filepath.Join(nw.Dir, "password"), key); err != nil {
		return nil, err
	}
	var peers []string
	for _, p := range nw.Nodes {
		peers = append(peers, p.Enode)
	}
	n.Args = append(n.Args, "--staticnodes", strings.Join(peers, ","), "--p2p.allowlist", nw.allowlistPath())
	n.Args = append(n.Args, nw.Extra...)
	// The members learn of the newcomer: it joins their allowlist, which
	// they re-read on SIGHUP.
	f, err := os.OpenFile(nw.allowlistPath(), os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	_, err = f.WriteString(n.Enode + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	for _, p := range nw.Nodes {
		if p.alive() {
			syscall.Kill(p.PID, syscall.SIGHUP)
		}
	}
	nw.Nodes = append(nw.Nodes, n)
	if err := nw.Save(); err != nil {
		return nil, err
	}
	if err := nw.Start(n.Name); err != nil {
		return nil, err
	}
	return n, waitRPC(n, startTimeout)
}

// JoinSpec is a signer node whose data dir was made outside the network, as
// a department does with `cityctl signer onboard`: signer key in the
// keystore, node key in DATADIR/citynode/nodekey.
type JoinSpec struct {
	Name     string         // node name in the network
	DataDir  string         // the prepared data dir
	Signer   common.Address // the signer key in its keystore
	Password string         // keystore password file
	Port     int            // devp2p port, the one in its join request's enode
}

// Join initialises and starts such a node, peered with every node of the
// network. Unlike Add it does not put the node on the members' allowlist:
// the members admit it when they approve its join request.
func (nw *Network) Join(spec JoinSpec) (*Node, error) {
	if _, err := nw.Node(spec.Name); err == nil {
		return nil, fmt.Errorf("a node called %s is already in the network: pick another name", spec.Name)
	}
	if out, err := exec.Command(nw.Binary, "init", "--datadir", spec.DataDir, nw.Genesis).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("init %s: %v\n%s", spec.Name, err, out)
	}
	nodeKey, err := crypto.LoadECDSA(filepath.Join(spec.DataDir, "citynode", "nodekey"))
	if err != nil {
		return nil, fmt.Errorf("node key of %s: %w (run `cityctl signer onboard` first)", spec.Name, err)
	}
	httpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	metricsPort, err := freePort()
	if err != nil {
		return nil, err
	}
	n := &Node{Name: spec.Name, Role: RoleSigner, Address: spec.Signer, DataDir: spec.DataDir}
	n.Metrics = fmt.Sprintf("http://127.0.0.1:%d/metrics", metricsPort)
	n.Enode = enode.NewV4(&nodeKey.PublicKey, net.IPv4(127, 0, 0, 1), spec.Port, 0).URLv4()
	n.RPC = fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	n.Log = filepath.Join(spec.DataDir, "citynode.log")
	var peers []string
	for _, p := range nw.Nodes {
		peers = append(peers, p.Enode)
	}
	n.Args = []string{"--datadir", n.DataDir, "--port", fmt.Sprint(spec.Port), "--p2p.addr", "127.0.0.1", "--nodiscover",
		"--http", "--http.addr", "127.0.0.1", "--http.port", fmt.Sprint(httpPort),
		"--metrics", "--metrics.addr", "127.0.0.1", "--metrics.port", fmt.Sprint(metricsPort),
		"--signer", spec.Signer.Hex(), "--password", spec.Password,
		"--staticnodes", strings.Join(peers, ","), "--p2p.allowlist", nw.allowlistPath()}
	if err := n.controlListener("127.0.0.1"); err != nil {
		return nil, err
	}
	n.Args = append(n.Args, nw.Extra...)
	nw.Nodes = append(nw.Nodes, n)
	if err := nw.Save(); err != nil {
		return nil, err
	}
	if err := nw.Start(n.Name); err != nil {
		return nil, err
	}
	return n, waitRPC(n, startTimeout)
}

// AllowlistPath returns the allowlist file every node of the network reads.
func (nw *Network) AllowlistPath() string { return nw.allowlistPath() }

func (nw *Network) allowlistPath() string { return filepath.Join(nw.Dir, "allowlist.txt") }

// Load reads the saved state of the network in dir.
func Load(dir string) (*Network, error) {
	data, err := os.ReadFile(filepath.Join(dir, stateFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no test network in %s: start one with `cityctl testnet up --dir %s`", dir, dir)
	}
	if err != nil {
		return nil, err
	}
	nw := new(Network)
	if err := json.Unmarshal(data, nw); err != nil {
		return nil, fmt.Errorf("%s is corrupt: %w", filepath.Join(dir, stateFile), err)
	}
	return nw, nil
}

// Save writes the network state.
func (nw *Network) Save() error { return writeJSON(filepath.Join(nw.Dir, stateFile), nw) }

// Node returns the node called name.
func (nw *Network) Node(name string) (*Node, error) {
	for _, n := range nw.Nodes {
		if n.Name == name {
			return n, nil
		}
	}
	var names []string
	for _, n := range nw.Nodes {
		names = append(names, n.Name)
	}
	return nil, fmt.Errorf("no node %q in the network: have %s", name, strings.Join(names, ", "))
}

// Start starts a node process in its own session, so it outlives the caller.
func (nw *Network) Start(name string) error {
	n, err := nw.Node(name)
	if err != nil {
		return err
	}
	if n.alive() {
		return fmt.Errorf("%s is already running (pid %d)", n.Name, n.PID)
	}
	logFile, err := os.OpenFile(n.Log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer logFile.Close()
	cmd := exec.Command(nw.Binary, n.Args...)
	if n.Netns != "" {
		// ip execs the binary in the namespace: the pid stays the node's.
		cmd = exec.Command("ip", append([]string{"netns", "exec", n.Netns, nw.Binary}, n.Args...)...)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", n.Name, err)
	}
	n.PID = cmd.Process.Pid
	go cmd.Wait() // reap it if we are still around when it exits
	return nw.Save()
}

// StartAndWait starts a node and waits until it answers JSON-RPC; a node
// that exits meanwhile is an error with the end of its log.
func (nw *Network) StartAndWait(name string) error {
	if err := nw.Start(name); err != nil {
		return err
	}
	n, err := nw.Node(name)
	if err != nil {
		return err
	}
	return waitRPC(n, startTimeout)
}

// Stop ends a node with SIGTERM (SIGKILL if kill is set, or after a timeout).
func (nw *Network) Stop(name string, kill bool) error {
	_, err := nw.Halt(name, kill)
	return err
}

// What a Halt did to the node, as cityctl prints it after the node's name
// (and HaltTimedOut).
const (
	HaltNotRunning = "was not running"
	HaltStopped    = "stopped"
	HaltKilled     = "killed (SIGKILL)"
)

// HaltTimedOut is what Halt did to a node that outlived SIGTERM.
var HaltTimedOut = fmt.Sprintf("killed (SIGKILL): it did not stop within %v of SIGTERM", stopTimeout)

// Halt is Stop that also says what it did: one of the Halt constants.
func (nw *Network) Halt(name string, kill bool) (string, error) {
	n, err := nw.Node(name)
	if err != nil {
		return "", err
	}
	did := HaltStopped
	switch {
	case !n.alive():
		did = HaltNotRunning
	case kill:
		did = HaltKilled
		syscall.Kill(n.PID, syscall.SIGKILL)
		awaitExit(n, stopTimeout)
	default:
		syscall.Kill(n.PID, syscall.SIGTERM)
		if !awaitExit(n, stopTimeout) {
			did = HaltTimedOut
			syscall.Kill(n.PID, syscall.SIGKILL)
			awaitExit(n, 5*time.Second)
		}
	}
	n.PID = 0
	return did, nw.Save()
}

// awaitExit polls until the node's process has ended or timeout passed; it
// reports whether the process ended.
func awaitExit(n *Node, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for n.alive() && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	return !n.alive()
}

// Down stops every node. The data stays in the directory for inspection;
// the state file is removed so the directory can be reused after deleting it.
func (nw *Network) Down() error {
	var errs []error
	for _, n := range nw.Nodes {
		if err := nw.Stop(n.Name, false); err != nil {
			errs = append(errs, err)
		}
	}
	if err := os.Remove(filepath.Join(nw.Dir, stateFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// alive reports whether the node's process runs and is still our citynode
// (a recycled pid belongs to some other process).
func (n *Node) alive() bool {
	if n.PID <= 0 {
		return false
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", n.PID))
	if err != nil {
		return false
	}
	if zombieLeader(n.PID) {
		// The main thread has exited. The process has ended (only its
		// parent's wait is missing) once no other thread is left: until
		// then the others are still tearing down and hold its files, the
		// listening sockets among them.
		return threads(n.PID) > 1
	}
	// During an exec (ip netns exec execs citynode) the command line
	// reads empty for a moment: the process is still the node's.
	return len(cmdline) == 0 || strings.Contains(string(cmdline), n.DataDir)
}

// zombieLeader reports whether the process's main thread is a zombie.
func zombieLeader(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	fields := strings.Fields(string(stat))
	return len(fields) > 2 && fields[2] == "Z"
}

// threads counts the process's threads still listed, its zombie main
// thread included.
func threads(pid int) int {
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return 0
	}
	return len(tasks)
}

// Running reports whether the node's process is alive.
func (n *Node) Running() bool { return n.alive() }

// remove deletes what up made in the network's directory: the network
// must be down.
func (nw *Network) remove() error {
	paths := []string{nw.Genesis, filepath.Join(nw.Dir, "password"), nw.allowlistPath(), filepath.Join(nw.Dir, stateFile)}
	for _, n := range nw.Nodes {
		paths = append(paths, n.DataDir)
	}
	for _, p := range paths {
		if p == "" {
			continue
		}
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	return nil
}

// freePort picks a port that is free now, below the ephemeral range
// (package freeport); a test may replace it.
var freePort = freeport.Get

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(data, '\n'), 0o600)
}
