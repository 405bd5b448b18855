package registry

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ethereum/go-ethereum"
)

// TestReceiptPending: a node still indexing transactions answers a receipt
// it has not found with an error, not null; waiting for a receipt must treat
// that as "not yet" (it failed citygate's tests on a freshly started dev
// chain), and every other error as a failure.
func TestReceiptPending(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{ethereum.NotFound, true},
		{fmt.Errorf("wrapped: %w", ethereum.NotFound), true},
		{errors.New("transaction indexing is in progress"), true},
		{errors.New("connection refused"), false},
		{errors.New("invalid argument 0: hex string has length 2"), false},
	} {
		if got := ReceiptPending(tt.err); got != tt.want {
			t.Errorf("ReceiptPending(%q) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
