package healthprobe

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"
)

// TestRun checks the three outcomes of a probe: 200 passes with the body
// copied out, another status and no answer are exit status 1, no answer
// with the hint.
func TestRun(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/down" {
			http.Error(w, `{"status":"DOWN"}`, http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte(`{"status":"UP"}`))
	}))
	defer srv.Close()
	var out strings.Builder
	if err := Run(&out, srv.URL+"/up", 5*time.Second, "hint"); err != nil || out.String() != `{"status":"UP"}` {
		t.Errorf("200: have %v, body %q; want nil and the body", err, out.String())
	}
	out.Reset()
	err := Run(&out, srv.URL+"/down", 5*time.Second, "hint")
	var exit cli.ExitCoder
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(err.Error(), "answered 503") || !strings.Contains(out.String(), "DOWN") {
		t.Errorf("503: have %v, body %q; want exit status 1 naming 503, and the body", err, out.String())
	}
	srv.Close()
	err = Run(&out, srv.URL+"/up", 5*time.Second, "is it running?")
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(err.Error(), "no answer from") || !strings.HasSuffix(err.Error(), "is it running?") {
		t.Errorf("no server: have %v; want exit status 1, no answer, and the hint", err)
	}
}
