package txintake

import (
	"errors"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
)

// hashes returns the hashes of txs.
func hashes(txs []*types.Transaction) []common.Hash {
	out := make([]common.Hash, len(txs))
	for i, tx := range txs {
		out[i] = tx.Hash()
	}
	return out
}

// mixedTxs returns n transactions of every type the pool takes.
func mixedTxs(n int) []*types.Transaction {
	txs := make([]*types.Transaction, 0, n)
	for i := range n {
		nonce := uint64(i)
		var data types.TxData
		switch i % 3 {
		case 0:
			data = &types.LegacyTx{Nonce: nonce, GasPrice: big.NewInt(params.GWei), Gas: params.TxGas, To: &recipient, Value: big.NewInt(int64(i))}
		case 1:
			data = &types.AccessListTx{ChainID: big.NewInt(testChainID), Nonce: nonce, GasPrice: big.NewInt(params.GWei), Gas: 30000, To: &recipient,
				AccessList: types.AccessList{{Address: recipient, StorageKeys: []common.Hash{{1}}}}}
		default:
			data = &types.DynamicFeeTx{ChainID: big.NewInt(testChainID), Nonce: nonce, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(params.GWei),
				Gas: 50000, To: &recipient, Data: make([]byte, i*7)}
		}
		txs = append(txs, types.MustSignNewTx(testKeys.key("journal"), testSigner, data))
	}
	return txs
}

func openTestJournal(t *testing.T, path string) *Journal {
	t.Helper()
	j, err := OpenJournal(path)
	if err != nil {
		t.Fatalf("OpenJournal: %v", err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func loadHashes(t *testing.T, j *Journal) []common.Hash {
	t.Helper()
	txs, err := j.Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return hashes(txs)
}

func TestJournalRoundTrip(t *testing.T) {
	tests := []struct {
		name    string
		batches []int // transactions per Append
	}{
		{"empty", nil},
		{"one", []int{1}},
		{"one batch", []int{25}},
		{"many batches", []int{1, 7, 0, 3, 12}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sub", "txs.journal")
			total := 0
			for _, n := range tt.batches {
				total += n
			}
			txs := mixedTxs(total)

			j := openTestJournal(t, path)
			rest := txs
			for _, n := range tt.batches {
				if err := j.Append(rest[:n]); err != nil {
					t.Fatalf("Append: %v", err)
				}
				rest = rest[n:]
			}
			if err := j.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			j = openTestJournal(t, path)
			if have, want := loadHashes(t, j), hashes(txs); !slices.Equal(have, want) {
				t.Errorf("loaded: have %v, want %v", have, want)
			}
			if have, want := j.Records(), total; have != want {
				t.Errorf("records: have %d, want %d", have, want)
			}
		})
	}
}

// journalWith writes txs to a fresh journal and returns its path and the
// offset where each record starts (plus the file size last).
func journalWith(t *testing.T, txs []*types.Transaction) (string, []int64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "txs.journal")
	j, err := OpenJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	offsets := []int64{j.Size()}
	for _, tx := range txs {
		if err := j.Append([]*types.Transaction{tx}); err != nil {
			t.Fatal(err)
		}
		offsets = append(offsets, j.Size())
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	return path, offsets
}

func TestJournalTornTail(t *testing.T) {
	txs := mixedTxs(4)
	tests := []struct {
		name   string
		damage func(t *testing.T, path string, offsets []int64) // offsets: record starts, then the end
		keep   int                                              // records that must survive
	}{
		{"cut inside last header", func(t *testing.T, path string, off []int64) { truncate(t, path, off[3]+3) }, 3},
		{"cut after last header", func(t *testing.T, path string, off []int64) { truncate(t, path, off[3]+recordHeader) }, 3},
		{"cut inside last payload", func(t *testing.T, path string, off []int64) { truncate(t, path, off[4]-1) }, 3},
		{"flipped byte in last payload", func(t *testing.T, path string, off []int64) { flip(t, path, off[4]-5) }, 3},
		{"zeroed tail after power loss", func(t *testing.T, path string, off []int64) { appendBytes(t, path, make([]byte, 4096)) }, 4},
		{"garbage length", func(t *testing.T, path string, off []int64) {
			appendBytes(t, path, []byte{0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5})
		}, 4},
		{"corrupt record in the middle", func(t *testing.T, path string, off []int64) { flip(t, path, off[2]+recordHeader+1) }, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, offsets := journalWith(t, txs)
			tt.damage(t, path, offsets)

			j := openTestJournal(t, path)
			if have, want := loadHashes(t, j), hashes(txs[:tt.keep]); !slices.Equal(have, want) {
				t.Fatalf("loaded: have %v, want %v", have, want)
			}
			info, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if have, want := info.Size(), offsets[tt.keep]; have != want {
				t.Errorf("size after open: have %d, want %d (truncated at the last intact record)", have, want)
			}
			// Appends after recovery must be readable behind the survivors.
			extra := transfer("after-tear", 0)
			if err := j.Append([]*types.Transaction{extra}); err != nil {
				t.Fatal(err)
			}
			j.Close()
			j = openTestJournal(t, path)
			want := append(hashes(txs[:tt.keep]), extra.Hash())
			if have := loadHashes(t, j); !slices.Equal(have, want) {
				t.Errorf("loaded after append: have %v, want %v", have, want)
			}
		})
	}
}

func truncate(t *testing.T, path string, size int64) {
	t.Helper()
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
}

func flip(t *testing.T, path string, offset int64) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[offset] ^= 0x55
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func appendBytes(t *testing.T, path string, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		t.Fatal(err)
	}
}

func TestJournalRewrite(t *testing.T) {
	txs := mixedTxs(20)
	tests := []struct {
		name string
		keep []int // indexes of txs kept
	}{
		{"keep none", nil},
		{"keep some", []int{3, 7, 19}},
		{"keep all", []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "txs.journal")
			j := openTestJournal(t, path)
			if err := j.Append(txs); err != nil {
				t.Fatal(err)
			}
			before := j.Size()
			var keep []*types.Transaction
			for _, i := range tt.keep {
				keep = append(keep, txs[i])
			}
			if err := j.Rewrite(keep); err != nil {
				t.Fatalf("Rewrite: %v", err)
			}
			if have, want := j.Records(), len(keep); have != want {
				t.Errorf("records: have %d, want %d", have, want)
			}
			if len(keep) < len(txs) && j.Size() >= before {
				t.Errorf("size: have %d, want < %d", j.Size(), before)
			}
			// The rewritten file takes appends, and reopening sees both.
			extra := transfer("after-rewrite", 0)
			if err := j.Append([]*types.Transaction{extra}); err != nil {
				t.Fatal(err)
			}
			j.Close()
			if _, err := os.Stat(path + ".tmp"); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("temporary file: have %v, want it gone", err)
			}
			j = openTestJournal(t, path)
			want := append(hashes(keep), extra.Hash())
			if have := loadHashes(t, j); !slices.Equal(have, want) {
				t.Errorf("loaded: have %v, want %v", have, want)
			}
		})
	}
}

func TestOpenJournalFiles(t *testing.T) {
	tests := []struct {
		name    string
		content []byte // nil: no file
		wantErr error
	}{
		{"missing", nil, nil},
		{"empty", []byte{}, nil},
		{"partial magic", []byte(journalMagic[:3]), nil},
		{"stale temporary file only", nil, nil},
		{"other file", []byte("{\"config\":{}}\n"), errNotJournal},
		{"short other file", []byte("xy"), errNotJournal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "txs.journal")
			if tt.content != nil {
				if err := os.WriteFile(path, tt.content, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if tt.name == "stale temporary file only" {
				if err := os.WriteFile(path+".tmp", []byte("half a rewrite"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			j, err := OpenJournal(path)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("OpenJournal: have %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				data, _ := os.ReadFile(path)
				if string(data) != string(tt.content) {
					t.Errorf("file changed: have %q, want %q", data, tt.content)
				}
				return
			}
			defer j.Close()
			if have := loadHashes(t, j); len(have) != 0 {
				t.Errorf("loaded: have %v, want none", have)
			}
			if _, err := os.Stat(path + ".tmp"); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("temporary file: have %v, want it removed", err)
			}
		})
	}
}

func TestJournalClosed(t *testing.T) {
	j := openTestJournal(t, filepath.Join(t.TempDir(), "txs.journal"))
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if err := j.Append([]*types.Transaction{transfer("alice", 0)}); !errors.Is(err, errJournalClosed) {
		t.Errorf("Append: have %v, want %v", err, errJournalClosed)
	}
	if err := j.Rewrite(nil); !errors.Is(err, errJournalClosed) {
		t.Errorf("Rewrite: have %v, want %v", err, errJournalClosed)
	}
	if err := j.Sync(); err != nil {
		t.Errorf("Sync: have %v, want nil", err)
	}
	if err := j.Close(); err != nil {
		t.Errorf("second Close: have %v, want nil", err)
	}
}

// killEnv names the environment variable that makes the test binary act as
// the process TestJournalSurvivesSIGKILL kills.
const killEnv = "TXINTAKE_KILL_JOURNAL"

// TestJournalSurvivesSIGKILL appends in a child process that then kills
// itself with SIGKILL, without Sync or Close: everything Append returned for
// must be in the journal.
func TestJournalSurvivesSIGKILL(t *testing.T) {
	if path := os.Getenv(killEnv); path != "" {
		j, err := OpenJournal(path)
		if err != nil {
			os.Exit(3)
		}
		txs := mixedTxs(50)
		for i := 0; i < len(txs); i += 10 {
			if err := j.Append(txs[i : i+10]); err != nil {
				os.Exit(4)
			}
		}
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // not reached
	}
	path := filepath.Join(t.TempDir(), "txs.journal")
	cmd := exec.Command(os.Args[0], "-test.run=^TestJournalSurvivesSIGKILL$")
	cmd.Env = append(os.Environ(), killEnv+"="+path)
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("child: have %v, want killed", err)
	}
	if status, ok := exit.Sys().(syscall.WaitStatus); !ok || !status.Signaled() || status.Signal() != syscall.SIGKILL {
		t.Fatalf("child: have %v, want killed by SIGKILL", err)
	}
	j := openTestJournal(t, path)
	if have, want := loadHashes(t, j), hashes(mixedTxs(50)); !slices.Equal(have, want) {
		t.Errorf("loaded: have %d transactions, want %d", len(have), len(want))
	}
}

// FuzzJournal opens arbitrary file contents as a journal: it must refuse
// them as not a journal, or keep exactly the intact records and take
// appends behind them.
func FuzzJournal(f *testing.F) {
	txs := mixedTxs(3)
	valid, err := encodeRecords([]byte(journalMagic), txs)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add(valid[:len(valid)-3])
	f.Add([]byte(journalMagic))
	f.Add([]byte(journalMagic[:4]))
	f.Add(append([]byte(journalMagic), 0, 0, 0, 9, 1, 2, 3, 4, 5))
	f.Add([]byte("not a journal at all"))

	extra := transfer("fuzz", 0)
	f.Fuzz(func(t *testing.T, content []byte) {
		path := filepath.Join(t.TempDir(), "txs.journal")
		if err := os.WriteFile(path, content, 0o600); err != nil {
			t.Fatal(err)
		}
		j, err := OpenJournal(path)
		if err != nil {
			if !errors.Is(err, errNotJournal) {
				t.Fatalf("OpenJournal: have %v, want nil or %v", err, errNotJournal)
			}
			return
		}
		defer j.Close()
		first, err := j.Load()
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if err := j.Append([]*types.Transaction{extra}); err != nil {
			t.Fatalf("Append: %v", err)
		}
		j.Close()
		j, err = OpenJournal(path)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		second, err := j.Load()
		if err != nil {
			t.Fatalf("Load after append: %v", err)
		}
		want := append(hashes(first), extra.Hash())
		if have := hashes(second); !slices.Equal(have, want) {
			t.Fatalf("loaded after append: have %v, want %v", have, want)
		}
	})
}
