package txintake

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/log"

	"github.com/citychain/citychain/internal/cmdkit/atomicfile"
)

const (
	journalMagic = "citytxj1" // first bytes of every journal file; the trailing digit is the format version
	recordHeader = 8          // bytes before each payload: its length and its CRC-32C, big-endian uint32s
	maxRecord    = 16 << 20   // bytes; the longest payload accepted, anything longer is corruption
)

// castagnoli is the CRC-32C table the record checksums use.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Journal is an append-only file of transactions, each stored as a record of
// its canonical binary encoding (tx.MarshalBinary) preceded by the payload
// length and a CRC-32C of the payload.
//
// Durability: Append hands a whole batch to the kernel in one write(2) before
// it returns, so once Append returns the records survive the process being
// killed (SIGKILL, OOM kill, panic); the kernel writes them out later. Sync
// (called every Config.SyncInterval by the Intake) forces them to the disk, so
// a power failure or kernel crash loses at most the records appended since
// the last Sync. A crash in the middle of a write leaves at worst a torn last
// record, which OpenJournal detects (short read or checksum mismatch) and
// truncates with a warning.
//
// A Journal is safe for concurrent use.
type Journal struct {
	path string

	syncMu sync.Mutex // serialises Sync, Rewrite and Close, so Sync never uses a file they closed

	mu      sync.Mutex
	f       *os.File // nil after Close; its offset is the end of the valid data
	size    int64    // bytes of valid data, magic included
	records int      // records in the file
	dirty   bool     // data written since the last fsync
	broken  error    // a write error that could not be rolled back
	written uint64   // bytes appended since the journal was opened
}

// OpenJournal opens the journal at path, creating it (and its directory) if
// it does not exist. It checks every record and truncates the file at the
// first torn or corrupt one, logging a warning with the bytes dropped. It
// refuses a file that is not a journal.
func OpenJournal(path string) (*Journal, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	// A crash during Rewrite can leave its temporary file behind; the journal
	// itself is intact either way.
	if err := os.Remove(path + ".tmp"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	j, err := openJournal(path, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return j, nil
}

func openJournal(path string, f *os.File) (*Journal, error) {
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := info.Size()
	magic := make([]byte, min(size, int64(len(journalMagic))))
	if _, err := f.ReadAt(magic, 0); err != nil && err != io.EOF {
		return nil, err
	}
	// Why: a file shorter than the magic is one whose creation was cut short
	// (nothing was ever appended to it), unless it is some other file.
	if !strings.HasPrefix(journalMagic, string(magic)) {
		return nil, fmt.Errorf("%w: %s: have magic %q, want %q", errNotJournal, path, magic, journalMagic)
	}
	if size < int64(len(journalMagic)) {
		if err := f.Truncate(0); err != nil {
			return nil, err
		}
		if _, err := f.WriteAt([]byte(journalMagic), 0); err != nil {
			return nil, err
		}
		if err := f.Sync(); err != nil {
			return nil, err
		}
		if err := atomicfile.SyncDir(filepath.Dir(path)); err != nil {
			return nil, err
		}
		size = int64(len(journalMagic))
	}
	end, records, err := scanRecords(f, size, nil)
	if err != nil {
		return nil, err
	}
	if end < size {
		log.Warn("Truncating torn transaction journal tail", "path", path, "offset", end, "dropped", size-end)
		if err := f.Truncate(end); err != nil {
			return nil, err
		}
		if err := f.Sync(); err != nil {
			return nil, err
		}
	}
	if _, err := f.Seek(end, io.SeekStart); err != nil {
		return nil, err
	}
	return &Journal{path: path, f: f, size: end, records: records}, nil
}

// scanRecords reads the records of a journal of the given size, calling fn
// (if not nil) with each payload; the payload buffer is reused between calls.
// It returns the offset just past the last intact record and the number of
// intact records: a torn or corrupt record ends the scan without an error.
func scanRecords(r io.ReaderAt, size int64, fn func(payload []byte)) (end int64, records int, err error) {
	end = int64(len(journalMagic))
	br := bufio.NewReaderSize(io.NewSectionReader(r, end, size-end), 1<<16)
	var (
		header  [recordHeader]byte
		payload []byte
	)
	for {
		if _, err := io.ReadFull(br, header[:]); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return end, records, nil // clean end, or a torn header
			}
			return end, records, err
		}
		n := binary.BigEndian.Uint32(header[:4])
		if n == 0 || n > maxRecord {
			return end, records, nil // garbage length: a torn or corrupt record
		}
		if cap(payload) < int(n) {
			payload = make([]byte, n)
		}
		payload = payload[:n]
		if _, err := io.ReadFull(br, payload); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return end, records, nil // torn payload
			}
			return end, records, err
		}
		if crc32.Checksum(payload, castagnoli) != binary.BigEndian.Uint32(header[4:]) {
			return end, records, nil
		}
		if fn != nil {
			fn(payload)
		}
		end += recordHeader + int64(n)
		records++
	}
}

// Load returns every transaction in the journal, in the order appended. A
// record that passes its checksum but does not decode as a transaction is
// skipped with a warning.
func (j *Journal) Load() ([]*types.Transaction, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil, errJournalClosed
	}
	var (
		txs []*types.Transaction
		bad int
	)
	_, _, err := scanRecords(j.f, j.size, func(payload []byte) {
		tx := new(types.Transaction)
		if err := tx.UnmarshalBinary(payload); err != nil {
			bad++
			return
		}
		txs = append(txs, tx)
	})
	if bad > 0 {
		log.Warn("Skipped undecodable transaction journal records", "path", j.path, "count", bad)
	}
	return txs, err
}

// encodeRecords appends the records of txs to buf.
func encodeRecords(buf []byte, txs []*types.Transaction) ([]byte, error) {
	for _, tx := range txs {
		payload, err := tx.MarshalBinary()
		if err != nil {
			return nil, err
		}
		if len(payload) > maxRecord {
			return nil, fmt.Errorf("%w: have %d bytes, want <= %d", errRecordTooLarge, len(payload), maxRecord)
		}
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(payload)))
		buf = binary.BigEndian.AppendUint32(buf, crc32.Checksum(payload, castagnoli))
		buf = append(buf, payload...)
	}
	return buf, nil
}

// Append writes txs to the journal in a single write. When it returns nil
// they survive the process being killed; they reach the disk with the next
// Sync. A failed write is rolled back so the journal never holds a partial
// record before intact ones.
func (j *Journal) Append(txs []*types.Transaction) error {
	if len(txs) == 0 {
		return nil
	}
	buf, err := encodeRecords(make([]byte, 0, len(txs)*(recordHeader+128)), txs)
	if err != nil {
		return err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return errJournalClosed
	}
	if j.broken != nil {
		return fmt.Errorf("%w: %v", errJournalBroken, j.broken)
	}
	if _, err := j.f.Write(buf); err != nil {
		// Why: later appends after a partial record would be invisible to Load.
		if rerr := j.rollback(); rerr != nil {
			j.broken = errors.Join(err, rerr)
			log.Error("Failed to roll back transaction journal write", "path", j.path, "err", rerr)
		}
		return err
	}
	j.size += int64(len(buf))
	j.records += len(txs)
	j.written += uint64(len(buf))
	j.dirty = true
	return nil
}

// rollback truncates the file to the end of the last complete record.
func (j *Journal) rollback() error {
	if err := j.f.Truncate(j.size); err != nil {
		return err
	}
	_, err := j.f.Seek(j.size, io.SeekStart)
	return err
}

// Sync forces appended records to the disk. It does nothing if nothing was
// appended since the last Sync. Appends proceed while it runs.
func (j *Journal) Sync() error {
	j.syncMu.Lock()
	defer j.syncMu.Unlock()

	j.mu.Lock()
	f, dirty := j.f, j.dirty
	j.dirty = false
	j.mu.Unlock()
	if f == nil || !dirty {
		return nil
	}
	if err := f.Sync(); err != nil {
		j.mu.Lock()
		j.dirty = true
		j.mu.Unlock()
		return err
	}
	return nil
}

// Rewrite replaces the journal's contents with keep, atomically: the records
// go to a temporary file, which is fsynced and renamed over the journal, and
// then the directory is fsynced. A crash at any point leaves either the old
// journal or the new one. Appends wait until it is done.
//
// The caller must make sure keep holds every transaction it still needs,
// including any appended concurrently (the Intake holds its own lock across
// choosing keep and calling Rewrite).
func (j *Journal) Rewrite(keep []*types.Transaction) error {
	buf, err := encodeRecords([]byte(journalMagic), keep)
	if err != nil {
		return err
	}
	j.syncMu.Lock()
	defer j.syncMu.Unlock()
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return errJournalClosed
	}
	tmpPath := j.path + ".tmp"
	tmp, err := os.OpenFile(tmpPath, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := writeSync(tmp, buf); err != nil {
		tmp.Close()
		os.Remove(tmpPath)
		return err
	}
	if err := os.Rename(tmpPath, j.path); err != nil {
		tmp.Close()
		os.Remove(tmpPath)
		return err
	}
	// The renamed file is the journal now; its offset is already at the end.
	old := j.f
	j.f, j.size, j.records, j.dirty, j.broken = tmp, int64(len(buf)), len(keep), false, nil
	if err := old.Close(); err != nil {
		log.Debug("Failed to close replaced transaction journal", "err", err)
	}
	// Why: until the directory is synced a power failure may bring back the
	// old file, which holds a superset of keep, so nothing is lost either way.
	return atomicfile.SyncDir(filepath.Dir(j.path))
}

// writeSync writes buf to f and fsyncs it.
func writeSync(f *os.File, buf []byte) error {
	if _, err := f.Write(buf); err != nil {
		return err
	}
	return f.Sync()
}

// Close syncs and closes the journal. Later calls do nothing.
func (j *Journal) Close() error {
	j.syncMu.Lock()
	defer j.syncMu.Unlock()
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	err := errors.Join(j.f.Sync(), j.f.Close())
	j.f = nil
	return err
}

// Records returns the number of records in the journal.
func (j *Journal) Records() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.records
}

// Size returns the journal's size in bytes.
func (j *Journal) Size() int64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.size
}

// Written returns the bytes appended since the journal was opened.
func (j *Journal) Written() uint64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.written
}
