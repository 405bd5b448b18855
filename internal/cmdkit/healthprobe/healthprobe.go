// Package healthprobe is the probe of the `health` commands of citynode and
// citygate: the HEALTHCHECK of their images, built from scratch (no curl),
// and a check scripts can run.
package healthprobe

import (
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/urfave/cli/v2"
)

// maxBody is the most of an answer's body copied out, in bytes.
const maxBody = 64 << 10

// Run gets url within timeout and copies the answer's body to w. It returns
// an exit status 1 error unless the answer is 200: for no answer at all, the
// error ends with hint, what to check.
func Run(w io.Writer, url string, timeout time.Duration, hint string) error {
	client := &http.Client{Timeout: timeout}
	resp, err := client.Get(url)
	if err != nil {
		return cli.Exit(fmt.Sprintf("no answer from %s (%v): %s", url, err, hint), 1)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	w.Write(body)
	if resp.StatusCode != http.StatusOK {
		return cli.Exit(fmt.Sprintf("%s answered %s", url, resp.Status), 1)
	}
	return nil
}
