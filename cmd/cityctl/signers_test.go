package main

import (
	"strings"
	"testing"
)

// TestAuditProgress checks the progress line of the range audits: silent
// below auditProgressFrom blocks, redrawn in place above, ended when done.
func TestAuditProgress(t *testing.T) {
	var short, long strings.Builder
	auditProgress(&short, "checked", "blocks")(5, auditProgressFrom-1)
	if short.Len() != 0 {
		t.Errorf("%d blocks: have %q, want no progress", auditProgressFrom-1, short.String())
	}
	p := auditProgress(&long, "replayed", "headers")
	p(1, 20000)
	p(20000, 20000)
	if have, want := long.String(), "\rreplayed 1/20000 headers\rreplayed 20000/20000 headers\n"; have != want {
		t.Errorf("20000 blocks: have %q, want %q", have, want)
	}
}
