// Package netlab makes a small network of hosts on one machine for fault
// tests: one Linux network namespace per host, each with its own address on a
// veth pair plugged into a bridge, and the faults applied to it: partitions
// (symmetric or one-way), random packet loss, delay on TCP connections (a
// relay, relay.go), and small tmpfs mounts that fill up. Everything a lab makes is named by its run prefix, so that Close
// and a Sweep at the start of the next run remove it even after a crashed
// run. It needs root and the ip, iptables and mount commands.
package netlab

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Prefix starts the name of every namespace, link and firewall rule comment
// a lab makes: "cfl" and a run id of four hex digits.
const Prefix = "cfl"

// stateRoot holds one directory per run: the owner's pid and the mounts made.
var stateRoot = filepath.Join(os.TempDir(), "citychain-netlab")

// Lab is one run's network. Its methods are safe for concurrent use.
type Lab struct {
	ID     string // run id: Prefix + 4 hex digits
	Bridge string
	Gate   string // this host's address on the bridge, from which tests reach every host
	subnet string // first three octets

	mu     sync.Mutex
	hosts  map[string]*Host
	next   int
	mounts []string
	relays []*Relay
}

// Host is one namespace of the lab.
type Host struct {
	Name  string
	Netns string
	Addr  string
	veth  string
}

// Check reports what is missing to run a lab here: root and the commands.
func Check() error {
	if os.Geteuid() != 0 {
		return errors.New("network namespaces need root (run the fault suite as root, e.g. in the CI container)")
	}
	for _, tool := range []string{"ip", "iptables", "mount", "umount"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s not found: install it with `apt-get install iproute2 iptables mount`", tool)
		}
	}
	return nil
}

// New sweeps what dead runs left behind, then makes a bridge with an address
// of this host on it, in a /24 no interface of this host uses.
func New() (*Lab, error) {
	if err := Check(); err != nil {
		return nil, err
	}
	if err := Sweep(); err != nil {
		return nil, fmt.Errorf("sweep of earlier runs: %w", err)
	}
	id := make([]byte, 2)
	if _, err := rand.Read(id); err != nil {
		return nil, err
	}
	lab := &Lab{ID: Prefix + hex.EncodeToString(id), hosts: map[string]*Host{}, next: 1}
	lab.Bridge = lab.ID + "br"
	subnet, err := freeSubnet()
	if err != nil {
		return nil, err
	}
	lab.subnet, lab.Gate = subnet, subnet+".254"
	if err := lab.claim(); err != nil {
		return nil, err
	}
	if err := lab.makeBridge(); err != nil {
		lab.Close()
		return nil, err
	}
	return lab, nil
}

// claim writes the owner file that keeps Sweep off this run while it lives.
func (l *Lab) claim() error {
	dir := filepath.Join(stateRoot, l.ID)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "owner"), []byte(strconv.Itoa(os.Getpid())), 0o600)
}

func (l *Lab) makeBridge() error {
	return run(
		[]string{"ip", "link", "add", l.Bridge, "type", "bridge"},
		[]string{"ip", "addr", "add", l.Gate + "/24", "dev", l.Bridge},
		[]string{"ip", "link", "set", l.Bridge, "up"},
		// Bridged frames pass this host's FORWARD chain when
		// br_netfilter is loaded (Docker sets its policy to DROP).
		[]string{"iptables", "-I", "FORWARD", "-i", l.Bridge, "-o", l.Bridge, "-j", "ACCEPT", "-m", "comment", "--comment", l.ID},
	)
}

// freeSubnet picks 10.213.K.0/24 with K used by no address of this host.
func freeSubnet() (string, error) {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return "", err
	}
	used := map[string]bool{}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil {
			ip := n.IP.To4()
			used[fmt.Sprintf("%d.%d.%d", ip[0], ip[1], ip[2])] = true
		}
	}
	b := make([]byte, 1)
	for range 64 {
		if _, err := rand.Read(b); err != nil {
			return "", err
		}
		if k := 1 + int(b[0])%250; !used[fmt.Sprintf("10.213.%d", k)] {
			return fmt.Sprintf("10.213.%d", k), nil
		}
	}
	return "", errors.New("no free 10.213.K.0/24 subnet for the lab bridge")
}

// AddHost makes a namespace with loopback up and one address on the bridge.
func (l *Lab) AddHost(name string) (*Host, error) {
	l.mu.Lock()
	i := l.next
	l.next++
	l.mu.Unlock()
	h := &Host{Name: name, Netns: l.ID + "-" + name, Addr: fmt.Sprintf("%s.%d", l.subnet, i), veth: fmt.Sprintf("%sh%d", l.ID, i)}
	peer := fmt.Sprintf("%sn%d", l.ID, i)
	err := run(
		[]string{"ip", "netns", "add", h.Netns},
		[]string{"ip", "link", "add", h.veth, "type", "veth", "peer", "name", peer},
		[]string{"ip", "link", "set", h.veth, "master", l.Bridge, "up"},
		[]string{"ip", "link", "set", peer, "netns", h.Netns},
		[]string{"ip", "-n", h.Netns, "link", "set", peer, "name", "eth0"},
		[]string{"ip", "-n", h.Netns, "addr", "add", h.Addr + "/24", "dev", "eth0"},
		[]string{"ip", "-n", h.Netns, "link", "set", "eth0", "up"},
		[]string{"ip", "-n", h.Netns, "link", "set", "lo", "up"},
	)
	if err != nil {
		return nil, fmt.Errorf("host %s: %w", name, err)
	}
	l.mu.Lock()
	l.hosts[name] = h
	l.mu.Unlock()
	return h, nil
}

// Host returns the host called name, or nil.
func (l *Lab) Host(name string) *Host {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.hosts[name]
}

// Deafen makes host not hear from: every packet from's address sends it is
// dropped on arrival. Deafen(a, b) alone is an asymmetric partition (b still
// hears a); with Deafen(b, a) as well it is symmetric.
func (l *Lab) Deafen(host string, from ...string) error {
	h := l.Host(host)
	if h == nil {
		return fmt.Errorf("no host %q in the lab", host)
	}
	for _, f := range from {
		src := l.Host(f)
		if src == nil {
			return fmt.Errorf("no host %q in the lab", f)
		}
		if err := h.iptables("-A", "INPUT", "-s", src.Addr, "-j", "DROP"); err != nil {
			return err
		}
	}
	return nil
}

// Partition splits the hosts into groups that do not hear each other; hosts
// in no group keep hearing everyone.
func (l *Lab) Partition(groups ...[]string) error {
	for i, g := range groups {
		for j, other := range groups {
			if i == j {
				continue
			}
			for _, h := range g {
				if err := l.Deafen(h, other...); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Loss drops each arriving packet on every host with the given probability
// (0..1): with loss on both ends, a packet is lost in either direction.
func (l *Lab) Loss(probability float64) error {
	for _, h := range l.sortedHosts() {
		if err := h.iptables("-A", "INPUT", "-m", "statistic", "--mode", "random", "--probability", strconv.FormatFloat(probability, 'f', 4, 64), "-j", "DROP"); err != nil {
			return err
		}
	}
	return nil
}

// Heal removes every partition and loss rule.
func (l *Lab) Heal() error {
	var errs []error
	for _, h := range l.sortedHosts() {
		errs = append(errs, h.iptables("-F", "INPUT"))
	}
	return errors.Join(errs...)
}

func (l *Lab) sortedHosts() []*Host {
	l.mu.Lock()
	defer l.mu.Unlock()
	var hs []*Host
	for _, h := range l.hosts {
		hs = append(hs, h)
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].Name < hs[j].Name })
	return hs
}

func (h *Host) iptables(args ...string) error {
	return run(append([]string{"ip", "netns", "exec", h.Netns, "iptables", "-w"}, args...))
}

// Tmpfs mounts a tmpfs of size bytes on dir (made if missing): a small disk
// that fills up. Close and Sweep unmount it.
func (l *Lab) Tmpfs(dir string, size int64) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if err := run([]string{"mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d,mode=0700", size), l.ID, dir}); err != nil {
		return err
	}
	l.mu.Lock()
	l.mounts = append(l.mounts, dir)
	l.mu.Unlock()
	return nil
}

// Resize changes the size of a tmpfs mounted by Tmpfs: space returns.
func (l *Lab) Resize(dir string, size int64) error {
	return run([]string{"mount", "-o", fmt.Sprintf("remount,size=%d", size), dir})
}

// Close kills every process left in the lab's namespaces, deletes them, the
// links, the firewall rule, and unmounts the tmpfs mounts.
func (l *Lab) Close() error {
	err := errors.Join(l.closeRelays(), sweepRun(l.ID))
	l.mu.Lock()
	l.hosts = map[string]*Host{}
	l.mu.Unlock()
	return err
}

// Sweep removes what runs whose owner process is gone left behind.
func Sweep() error {
	ids, err := runIDs()
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range ids {
		if !ownerAlive(id) {
			errs = append(errs, sweepRun(id))
		}
	}
	return errors.Join(errs...)
}

// runIDs lists the run ids that have a namespace, a link, a rule, a mount or
// a state directory.
func runIDs() ([]string, error) {
	found := map[string]bool{}
	idOf := func(name string) {
		if len(name) >= len(Prefix)+4 && strings.HasPrefix(name, Prefix) {
			if _, err := hex.DecodeString(name[len(Prefix) : len(Prefix)+4]); err == nil {
				found[name[:len(Prefix)+4]] = true
			}
		}
	}
	for _, ns := range netnsList() {
		idOf(ns)
	}
	for _, link := range linkList() {
		idOf(link)
	}
	for _, m := range mountsBy("") {
		idOf(m.source)
	}
	for _, rule := range forwardRules("") {
		for _, f := range strings.Fields(rule) {
			idOf(f)
		}
	}
	entries, _ := os.ReadDir(stateRoot)
	for _, e := range entries {
		idOf(e.Name())
	}
	var ids []string
	for id := range found {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids, nil
}

func ownerAlive(id string) bool {
	data, err := os.ReadFile(filepath.Join(stateRoot, id, "owner"))
	if err != nil {
		return false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 {
		return false
	}
	_, err = os.Stat(fmt.Sprintf("/proc/%d", pid))
	return err == nil
}

// sweepRun removes everything of run id: processes in its namespaces first
// (a namespace with a process in it outlives its name), then namespaces,
// links, the firewall rule, the mounts and the state directory.
func sweepRun(id string) error {
	var errs []error
	for _, ns := range netnsList() {
		if !strings.HasPrefix(ns, id+"-") {
			continue
		}
		killNetns(ns)
		errs = append(errs, run([]string{"ip", "netns", "delete", ns}))
	}
	for _, link := range linkList() {
		if strings.HasPrefix(link, id) {
			// A veth whose peer's namespace went is gone already.
			_ = run([]string{"ip", "link", "delete", link})
		}
	}
	for _, rule := range forwardRules(id) {
		errs = append(errs, run(append([]string{"iptables", "-w"}, strings.Fields(strings.Replace(rule, "-A", "-D", 1))...)))
	}
	for _, m := range mountsBy(id) {
		errs = append(errs, run([]string{"umount", "-l", m.target}))
	}
	errs = append(errs, os.RemoveAll(filepath.Join(stateRoot, id)))
	return errors.Join(errs...)
}

// killNetns SIGKILLs every process in the namespace and waits (bounded) for
// them to go.
func killNetns(ns string) {
	for range 50 {
		out, _ := exec.Command("ip", "netns", "pids", ns).Output()
		var pids []string
		for _, p := range strings.Fields(string(out)) {
			if p != strconv.Itoa(os.Getpid()) { // a thread of ours visiting (sockets.go)
				pids = append(pids, p)
			}
		}
		if len(pids) == 0 {
			return
		}
		_ = exec.Command("kill", append([]string{"-9"}, pids...)...).Run()
		_ = exec.Command("sleep", "0.1").Run()
	}
}

func netnsList() []string {
	out, _ := exec.Command("ip", "netns", "list").Output()
	var names []string
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			names = append(names, f[0])
		}
	}
	return names
}

func linkList() []string {
	out, _ := exec.Command("ip", "-o", "link", "show").Output()
	var names []string
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimSuffix(f[1], ":"), "@")
		names = append(names, name)
	}
	return names
}

// forwardRules returns the FORWARD rules (iptables -S form) whose comment
// starts with id ("" for every lab rule).
func forwardRules(id string) []string {
	out, _ := exec.Command("iptables", "-w", "-S", "FORWARD").Output()
	var rules []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "--comment "+Prefix) && strings.Contains(line, "--comment "+id) {
			rules = append(rules, line)
		}
	}
	return rules
}

type mount struct{ source, target string }

// mountsBy returns the tmpfs mounts whose source is the run id ("" for every
// lab's), deepest first.
func mountsBy(id string) []mount {
	data, _ := os.ReadFile("/proc/mounts")
	var ms []mount
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || f[2] != "tmpfs" || !strings.HasPrefix(f[0], Prefix) || !strings.HasPrefix(f[0], id) {
			continue
		}
		ms = append(ms, mount{source: f[0], target: f[1]})
	}
	sort.Slice(ms, func(i, j int) bool { return len(ms[i].target) > len(ms[j].target) })
	return ms
}

func run(cmds ...[]string) error {
	for _, c := range cmds {
		if out, err := exec.Command(c[0], c[1:]...).CombinedOutput(); err != nil {
			return fmt.Errorf("%s: %v: %s", strings.Join(c, " "), err, strings.TrimSpace(string(out)))
		}
	}
	return nil
}
