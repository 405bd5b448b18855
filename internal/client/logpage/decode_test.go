package logpage

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/internal/jsonscan"
)

// FuzzDecodeLogs checks that DecodeLogs decodes exactly as encoding/json
// decodes into []types.Log, and fails where it fails.
func FuzzDecodeLogs(f *testing.F) {
	for _, s := range []string{
		`[]`, `null`, ` [ ] `,
		`[{"address":"0x00000000000000000000000000000000000000d0","topics":["0x0000000000000000000000000000000000000000000000000000000000000001","0x000000000000000000000000000000000000000000000000000000000000000a"],"data":"0x0a0b","blockNumber":"0x1a","transactionHash":"0x1100000000000000000000000000000000000000000000000000000000000022","transactionIndex":"0x0","blockHash":"0x3300000000000000000000000000000000000000000000000000000000000044","blockTimestamp":"0x693280a0","logIndex":"0x7","removed":false}]`,
		`[{"address":"0x00000000000000000000000000000000000000D0","topics":[],"data":"0x","transactionHash":"0x1100000000000000000000000000000000000000000000000000000000000022","removed":true},{"address":"0x00000000000000000000000000000000000000d1","topics":[],"data":"0x","transactionHash":"0x1100000000000000000000000000000000000000000000000000000000000022"}]`,
		`[{"address":"0x00000000000000000000000000000000000000d0","topics":null,"data":"0x","transactionHash":"0x1100000000000000000000000000000000000000000000000000000000000022"}]`,
		`[{"address":"0x00000000000000000000000000000000000000d0","topics":[],"data":"0x","transactionHash":"0x1100000000000000000000000000000000000000000000000000000000000022","blockNumber":"0x01"}]`,
		`[{"address":"0x00000000000000000000000000000000000000d0","topics":[],"data":"0x0","transactionHash":"0x1100000000000000000000000000000000000000000000000000000000000022","logIndex":"0x10000000000000000"}]`,
		`[{"address":"0x00000000000000000000000000000000000000d0","topics":[],"transactionHash":"0x1100000000000000000000000000000000000000000000000000000000000022","Data":"0x01"}]`,
		`[{"address":"0x00000000000000000000000000000000000000d0","address":"0x00000000000000000000000000000000000000d1","topics":[],"data":"0x","transactionHash":"0x1100000000000000000000000000000000000000000000000000000000000022"}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var want []types.Log
		wantErr := json.Unmarshal(raw, &want)
		have, haveErr := DecodeLogs(raw)
		if (wantErr == nil) != (haveErr == nil) {
			t.Fatalf("%s: error %v, encoding/json's %v", raw, haveErr, wantErr)
		}
		if wantErr == nil && !reflect.DeepEqual(have, want) {
			t.Fatalf("%s:\nhave %+v\nwant %+v", raw, have, want)
		}
	})
}

// TestScannerReadsCommonEncoding checks that the scanner, not the
// encoding/json fallback, reads geth's encoding of logs and of an answer:
// FuzzDecodeLogs and TestHTTPFilterer pass with a scanner that refuses all.
func TestScannerReadsCommonEncoding(t *testing.T) {
	if logs, ok := scanLogs([]byte(" [" + oneLog + ",\n" + oneLog + "] ")); !ok || len(logs) != 2 {
		t.Errorf("scanLogs: have %d logs, ok %v; want 2, true", len(logs), ok)
	}
	answer := `{"jsonrpc":"2.0","id":1,"result":[` + oneLog + `]}`
	s := scanner{jsonscan.Scanner{In: []byte(answer)}}
	if logs, ok := s.envelope(); !ok || len(logs) != 1 {
		t.Errorf("envelope: have %d logs, ok %v; want 1, true", len(logs), ok)
	}
}
