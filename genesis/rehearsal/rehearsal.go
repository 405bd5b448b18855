// Package rehearsal runs a whole genesis ceremony on one host, for a
// rehearsal network (docker/compose.yaml): every department's keystore and
// every node's data dir are local. It initialises data dirs through the
// DataDirs its caller gives (citynode and this package's tests give
// internal/node.DataDirs), so it does not link the node itself
// (docs/architecture.md, Imports).
package rehearsal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
	gethkeystore "github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/p2p/enode"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/genesis/ceremony"
	"github.com/citychain/citychain/internal/cmdkit/atomicfile"
	"github.com/citychain/citychain/internal/cmdkit/keyfiles"
)

// Files a rehearsal writes to its output directory.
const (
	GenesisFile = "genesis.json" // the genesis
	NetworkFile = "network.toml" // the config with every signer as an address, to publish
	MembersFile = "members.txt"  // the allowlist: every node's enode URL
)

// Node is a node of a one-host network: its host name (how the
// other nodes reach it), its data dir, and whether it is an archive
// (auditor) node.
type Node struct {
	Name    string
	DataDir string
	Archive bool
}

// Rehearsal is a whole genesis ceremony run on one host, for a rehearsal
// network (docker/compose.yaml): every data dir is local.
type Rehearsal struct {
	Network  *ceremony.Config
	Password string // encrypts the signer keys made here
	// PasswordFile is where the signer nodes read that password (written
	// into their configuration).
	PasswordFile string
	Out          string // directory for GenesisFile, NetworkFile, MembersFile and NAME.toml per node
	Nodes        []Node
	Port         int // devp2p port every node listens on
	// Owner, if set (uid, gid), is given every file the rehearsal makes, so
	// that nodes running as that user can use data dirs made by root.
	Owner *[2]int
	// DataDirs initialises the nodes' data dirs and reads their genesis
	// back (citynode gives internal/node.DataDirs; genesis/ does not link the node).
	DataDirs DataDirs
}

// DataDirs initialises a node's data dir with a genesis and reads the
// genesis an initialised data dir holds.
type DataDirs interface {
	Init(dataDir string, g *core.Genesis, ext genesis.Extension, archive bool) (common.Hash, error)
	ReadGenesis(dataDir string) (*core.Genesis, common.Hash, error)
}

// Result is what Run made.
type Result struct {
	*ceremony.Result
	NewKeys []ceremony.Signer   // signer keys made in this run
	Enodes  map[string]string   // node name -> enode URL
	Inited  map[string]struct{} // nodes initialised in this run
	// Reused is set when an earlier run had made this network (its genesis
	// file or an initialised data dir was there): this run made no key and
	// gave the same genesis.
	Reused bool
}

// ErrNetworkExists is wrapped by the errors of a run that would make another
// network where an earlier run made one: a key it was made with is gone, or
// the config gives another genesis than its nodes hold.
var ErrNetworkExists = errors.New("this host's network was made by an earlier ceremony")

// Run runs the ceremony's steps in order, each one only if it has not
// been done: a signer key in each department's keystore (the keystore named
// by the config) that has none; the genesis from the config (an existing
// genesis file must be the same); a node key in each data dir; each data dir
// initialised with the genesis; the allowlist of exactly these nodes and
// their static peering. Running it twice changes nothing. Where an earlier
// run made the network (its genesis file or an initialised data dir is
// there), Run makes no key and writes no other genesis: it reuses what is
// there, or fails with ErrNetworkExists, naming what is missing or changed.
func Run(r Rehearsal) (*Result, error) {
	if r.DataDirs == nil {
		return nil, errors.New("rehearsal: no DataDirs to initialise the nodes' data dirs with (a caller's mistake: set Rehearsal.DataDirs)")
	}
	if r.Port == 0 {
		r.Port = 30303
	}
	res := &Result{Enodes: map[string]string{}, Inited: map[string]struct{}{}}
	before, err := r.findEarlier()
	if err != nil {
		return nil, err
	}
	keys, err := r.makeSignerKeys(before)
	if err != nil {
		return nil, err
	}
	if err := r.checkPassword(before); err != nil {
		return nil, err
	}
	res.NewKeys = keys
	if res.Result, err = ceremony.Build(r.Network); err != nil {
		return nil, err
	}
	if err := r.writeGenesis(res.Result, before); err != nil {
		return nil, err
	}
	res.Reused = before.ran()
	published, err := r.Network.Published(res.Signers)
	if err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(r.Out, NetworkFile), published); err != nil {
		return nil, err
	}
	for _, n := range r.Nodes {
		url, inited, err := r.initNode(n, res.Result)
		if err != nil {
			return nil, err
		}
		res.Enodes[n.Name] = url
		if inited {
			res.Inited[n.Name] = struct{}{}
		}
	}
	if err := r.writePeers(res.Enodes, res.Signers); err != nil {
		return nil, err
	}
	if err := r.chown(append(r.dataDirs(), r.Out)...); err != nil {
		return nil, err
	}
	if r.Owner != nil {
		for _, dir := range r.serviceDirs() {
			if err := os.Lchown(dir, r.Owner[0], r.Owner[1]); err != nil {
				return nil, fmt.Errorf("hand %s to uid %d: %w", dir, r.Owner[0], err)
			}
		}
	}
	return res, nil
}

// makeSignerKeys makes a key in each keystore directory the config names
// that holds none: each department's signer keystore, and the keystore of
// each role holder or funded account given by keystore (a gateway's relayer
// key, made here so that the genesis grants it its role and funds it).
// Where an earlier run made the network, a keystore without its key is
// refused: a new key would make another genesis.
func (r Rehearsal) makeSignerKeys(before earlier) ([]ceremony.Signer, error) {
	var made []ceremony.Signer
	seen := map[string]bool{}
	for _, k := range r.keystores() {
		dir := r.Network.Path(k.path)
		if seen[filepath.Clean(dir)] {
			continue
		}
		seen[filepath.Clean(dir)] = true
		if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
			continue
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		if before.ran() {
			return nil, fmt.Errorf("%w (%s), but %s has no key in %s any more: a new key would make another network. "+
				"Put the key back (restore the volume or directory that held %s from a backup), or start a new network from nothing "+
				"(on the compose network: make network-down, which removes every volume, then make network-up)", ErrNetworkExists, before, k.owner, dir, dir)
		}
		if r.Password == "" {
			return nil, fmt.Errorf("%s has no key in %s and no password was given to encrypt a new one", k.owner, dir)
		}
		acct, err := keyfiles.Open(dir).NewAccount(r.Password)
		if err != nil {
			return nil, fmt.Errorf("make the key of %s in %s: %w", k.owner, dir, err)
		}
		made = append(made, ceremony.Signer{Department: k.owner, Address: acct.Address, Source: "keystore " + acct.URL.Path})
	}
	return made, nil
}

// checkPassword checks, where an earlier run made the network, that the
// password opens its first key: the nodes unlock their keys with it, and a
// password file made again since (its file removed) would leave every signer
// unable to start. One key is enough to tell (one scrypt decryption).
func (r Rehearsal) checkPassword(before earlier) error {
	if !before.ran() || r.Password == "" {
		return nil
	}
	for _, k := range r.keystores() {
		dir := r.Network.Path(k.path)
		ks := keyfiles.Open(dir)
		accts := ks.Accounts()
		if len(accts) == 0 {
			continue
		}
		err := ks.Unlock(accts[0], r.Password)
		switch {
		case errors.Is(err, gethkeystore.ErrDecrypt):
			return fmt.Errorf("%w (%s), but the password given (%s) does not open the key of %s in %s: it is not the password the keys were made with (was its file made again?). "+
				"Put back the password file the network was made with, or start a new network from nothing "+
				"(on the compose network: make network-down, which removes every volume, then make network-up)", ErrNetworkExists, before, r.passwordSource(), k.owner, dir)
		case err != nil:
			return fmt.Errorf("open the key of %s in %s: %w", k.owner, dir, err)
		}
		return ks.Lock(accts[0].Address)
	}
	return nil
}

// passwordSource names where the password came from, for messages.
func (r Rehearsal) passwordSource() string {
	if r.PasswordFile != "" {
		return r.PasswordFile
	}
	return "--password"
}

// keystore is a keystore the config names and whose key it is.
type keystore struct {
	path  string // as in the config
	owner string // "department LAND", "role[0] (PARTICIPATION relayer)", "alloc[1]"
	role  bool   // a role holder's or funded account's, not a signer's
}

// keystores lists the keystores the config names, in its order.
func (r Rehearsal) keystores() []keystore {
	var out []keystore
	for _, d := range r.Network.Departments {
		if d.Keystore != "" {
			out = append(out, keystore{path: d.Keystore, owner: "department " + d.Code})
		}
	}
	for i, g := range r.Network.Roles {
		if g.Keystore != "" {
			out = append(out, keystore{path: g.Keystore, owner: fmt.Sprintf("role[%d] (%s %s)", i, g.Department, strings.Join(g.Roles, ", ")), role: true})
		}
	}
	for i, a := range r.Network.Alloc {
		if a.Keystore != "" {
			out = append(out, keystore{path: a.Keystore, owner: fmt.Sprintf("alloc[%d]", i), role: true})
		}
	}
	return out
}

// earlier is what an earlier run of the ceremony left: the genesis file,
// and the nodes whose data dir is initialised.
type earlier struct {
	genesis string // the genesis file's path, "" if there is none
	inited  []Node
}

// findEarlier looks for what an earlier run left.
func (r Rehearsal) findEarlier() (earlier, error) {
	var e earlier
	path := filepath.Join(r.Out, GenesisFile)
	if _, err := os.Stat(path); err == nil {
		e.genesis = path
	} else if !errors.Is(err, fs.ErrNotExist) {
		return e, err
	}
	for _, n := range r.Nodes {
		if _, err := os.Stat(filepath.Join(n.DataDir, "citynode", "chaindata")); err == nil {
			e.inited = append(e.inited, n)
		}
	}
	return e, nil
}

func (e earlier) ran() bool { return e.genesis != "" || len(e.inited) > 0 }

// String says what an earlier run left, for messages.
func (e earlier) String() string {
	if e.genesis != "" {
		return e.genesis + " is there"
	}
	var names []string
	for _, n := range e.inited {
		names = append(names, n.Name)
	}
	return "the data dirs of " + strings.Join(names, ", ") + " are initialised"
}

// writeGenesis writes the genesis file, or checks the one there. Without
// one, where data dirs are initialised already (the output directory was
// lost), the genesis must be the one they hold.
func (r Rehearsal) writeGenesis(res *ceremony.Result, before earlier) error {
	if err := os.MkdirAll(r.Out, 0o755); err != nil {
		return err
	}
	path := filepath.Join(r.Out, GenesisFile)
	old, err := os.ReadFile(path)
	switch {
	case err == nil && bytes.Equal(old, res.JSON):
		return nil
	case err == nil:
		return fmt.Errorf("%w: %s holds another genesis than the config gives now (the config, or a key in a keystore it names, changed since the ceremony): "+
			"put back the network.toml and the keys the network was made with, or start a new network from nothing "+
			"(on the compose network: make network-down, which removes every volume, then make network-up)", ErrNetworkExists, path)
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	for _, n := range before.inited {
		if err := r.checkInited(n, res); err != nil {
			return err
		}
	}
	return writeFile(path, res.JSON)
}

// checkInited checks that an initialised data dir holds the genesis of
// res: its hash and its chain configuration (the Clique period is in the
// latter only).
func (r Rehearsal) checkInited(n Node, res *ceremony.Result) error {
	have, hash, err := r.DataDirs.ReadGenesis(n.DataDir)
	if err != nil {
		return fmt.Errorf("%w (the data dir of %s is initialised) but its genesis file is gone, and the genesis %s holds cannot be read to check it against the config: %v. "+
			"Stop the network's nodes and run the ceremony again", ErrNetworkExists, n.Name, n.DataDir, err)
	}
	haveCfg, err := json.Marshal(have.Config)
	if err != nil {
		return err
	}
	wantCfg, err := json.Marshal(res.Genesis.Config)
	if err != nil {
		return err
	}
	differs := ""
	switch {
	case hash != res.Hash:
		differs = fmt.Sprintf("holds genesis %s while the config gives %s", hash.Hex(), res.Hash.Hex())
	case !bytes.Equal(haveCfg, wantCfg):
		differs = fmt.Sprintf("holds genesis %s with another chain configuration (period, epoch, rules) than the config gives", hash.Hex())
	default:
		return nil
	}
	return fmt.Errorf("%w: its genesis file is gone, and the data dir of %s %s: the config changed since the ceremony. "+
		"Put back the network.toml the network was made with, or start a new network from nothing "+
		"(on the compose network: make network-down, which removes every volume, then make network-up)", ErrNetworkExists, n.Name, differs)
}

// initNode makes the node key if there is none, initialises the data dir
// with the genesis and returns the node's enode URL.
func (r Rehearsal) initNode(n Node, res *ceremony.Result) (string, bool, error) {
	keyPath := filepath.Join(n.DataDir, "citynode", "nodekey")
	key, err := crypto.LoadECDSA(keyPath)
	if errors.Is(err, fs.ErrNotExist) {
		if key, err = crypto.GenerateKey(); err != nil {
			return "", false, err
		}
		if err := os.MkdirAll(filepath.Dir(keyPath), 0o700); err != nil {
			return "", false, err
		}
		err = crypto.SaveECDSA(keyPath, key)
	}
	if err != nil {
		return "", false, fmt.Errorf("node key of %s: %w", n.Name, err)
	}
	url := fmt.Sprintf("enode://%x@%s:%d", crypto.FromECDSAPub(&key.PublicKey)[1:], n.Name, r.Port)
	if _, err := enode.ParseV4(url); err != nil {
		return "", false, fmt.Errorf("node %s: %w", n.Name, err)
	}
	// An initialised data dir is left alone: its node may be running and
	// holding the database (the genesis file was checked unchanged above).
	if _, err := os.Stat(filepath.Join(n.DataDir, "citynode", "chaindata")); err == nil {
		return url, false, nil
	}
	hash, err := r.DataDirs.Init(n.DataDir, res.Genesis, res.Extension, n.Archive)
	if err != nil {
		return "", false, fmt.Errorf("initialise %s: %w", n.Name, err)
	}
	if hash != res.Hash {
		return "", false, fmt.Errorf("initialise %s: have genesis %s, want %s", n.Name, hash.Hex(), res.Hash.Hex())
	}
	return url, true, nil
}

// writePeers writes the allowlist of every node and each node's citynode
// configuration (NAME.toml): the other nodes as static peers, the
// allowlist, and for a node whose data dir holds a department's keystore,
// that signer and the password file.
func (r Rehearsal) writePeers(enodes map[string]string, sigs []ceremony.Signer) error {
	var members strings.Builder
	members.WriteString("# The members of this network: every node made by the ceremony.\n")
	for _, n := range r.Nodes {
		fmt.Fprintf(&members, "%s # %s\n", enodes[n.Name], n.Name)
	}
	if err := writeFile(filepath.Join(r.Out, MembersFile), []byte(members.String())); err != nil {
		return err
	}
	for _, n := range r.Nodes {
		cfg := map[string]any{}
		if s, ok := r.signerOf(n, sigs); ok {
			cfg["signer"] = s.Address.Hex()
			cfg["password_file"] = r.PasswordFile
		}
		var peers []string
		for _, m := range r.Nodes {
			if m.Name != n.Name {
				peers = append(peers, enodes[m.Name])
			}
		}
		cfg["p2p"] = map[string]any{"staticnodes": peers, "allowlist": filepath.Join(r.Out, MembersFile)}
		var buf bytes.Buffer
		fmt.Fprintf(&buf, "# citynode configuration of %s, made by the ceremony (citynode --config).\n", n.Name)
		if err := toml.NewEncoder(&buf).Encode(cfg); err != nil {
			return err
		}
		if err := writeFile(filepath.Join(r.Out, n.Name+".toml"), buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// signerOf returns the department signer whose keystore is in n's data dir.
func (r Rehearsal) signerOf(n Node, sigs []ceremony.Signer) (ceremony.Signer, bool) {
	for _, d := range r.Network.Departments {
		if d.Keystore == "" {
			continue
		}
		if filepath.Clean(filepath.Dir(r.Network.Path(d.Keystore))) != filepath.Clean(n.DataDir) {
			continue
		}
		for _, s := range sigs {
			if s.Department == d.Code {
				return s, true
			}
		}
	}
	return ceremony.Signer{}, false
}

func (r Rehearsal) dataDirs() []string {
	var dirs []string
	for _, n := range r.Nodes {
		dirs = append(dirs, n.DataDir)
	}
	for _, k := range r.keystores() {
		dirs = append(dirs, r.Network.Path(k.path))
	}
	return dirs
}

// serviceDirs are the directories holding a role holder's keystore: a
// gateway's data dir (its keystore and its ballot store), which the owner
// must be able to write in. Only the directory itself is handed over.
func (r Rehearsal) serviceDirs() []string {
	var dirs []string
	for _, k := range r.keystores() {
		if k.role {
			dirs = append(dirs, filepath.Dir(r.Network.Path(k.path)))
		}
	}
	return dirs
}

// chown gives every file under dirs to the configured owner.
func (r Rehearsal) chown(dirs ...string) error {
	if r.Owner == nil {
		return nil
	}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			return os.Lchown(path, r.Owner[0], r.Owner[1])
		})
		if err != nil {
			return fmt.Errorf("hand %s to uid %d: %w", dir, r.Owner[0], err)
		}
	}
	return nil
}

// writeFile writes data atomically and durably.
func writeFile(path string, data []byte) error {
	return atomicfile.Write(path, data, 0o644)
}

// SignerAddresses returns the signers' addresses, for messages.
func (r *Result) SignerAddresses() []common.Address {
	var out []common.Address
	for _, s := range r.Signers {
		out = append(out, s.Address)
	}
	return out
}
