package txintake

import (
	"errors"
	"fmt"
)

var (
	// ErrStopped is returned by Submit after the intake was stopped.
	ErrStopped = errors.New("transaction intake stopped")

	// errUnprotected is returned if a transaction is not replay-protected
	// (EIP-155). The text is go-ethereum's, which clients may match on.
	errUnprotected = errors.New("only replay-protected (EIP-155) transactions allowed over RPC")

	// errFeeCap is returned (wrapped in a feeCapError) if a transaction's fee
	// exceeds Config.RPCTxFeeCap.
	errFeeCap = errors.New("tx fee exceeds the configured cap")

	// errBatchTooLarge is returned if a bulk submission holds more
	// transactions than Config.MaxBatch.
	errBatchTooLarge = errors.New("too many transactions in one call")

	// errNotJournal is returned if the journal path holds a file that does not
	// start with the journal magic.
	errNotJournal = errors.New("not a transaction journal")

	// errJournalClosed is returned by journal writes after Close.
	errJournalClosed = errors.New("transaction journal closed")

	// errJournalBroken is returned by Append after a failed write could not be
	// rolled back, so the file may end in a partial record.
	errJournalBroken = errors.New("transaction journal broken by an earlier write error")

	// errRecordTooLarge is returned if a transaction encodes to more than
	// maxRecord bytes.
	errRecordTooLarge = errors.New("transaction too large for the journal")

	// errNotJournaled is returned for a transaction Submit could not journal:
	// it is not acknowledged, since only the journal makes it survive a crash.
	errNotJournaled = errors.New("transaction not acknowledged: the transaction journal write failed")

	// errTooManyResubmits is the reason reported for a transaction dropped
	// after Config.MaxResubmits resubmissions.
	errTooManyResubmits = errors.New("too many resubmissions")
)

// feeCapError is returned if a transaction's fee exceeds the RPC fee cap. Its
// text is go-ethereum's checkTxFee message; errors.Is matches errFeeCap.
type feeCapError struct {
	fee, cap float64 // ether
}

func (e *feeCapError) Error() string {
	return fmt.Sprintf("tx fee (%.2f ether) exceeds the configured cap (%.2f ether)", e.fee, e.cap)
}

func (e *feeCapError) Unwrap() error { return errFeeCap }
