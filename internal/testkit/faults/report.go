package faults

import (
	"fmt"
	"strings"
	"time"
)

// Header is the head of the table Row fills (docs/reliability.md).
const Header = "| scenario | fault | tx/s before | tx/s during | acked | lost | deepest reorg | longest stall | block time p95 | recover | agree | finality | notes |\n" +
	"|---|---|---|---|---|---|---|---|---|---|---|---|---|"

// Row is the result as a line of the table.
func (r Result) Row() string {
	final := "kept"
	if len(r.Violations) > 0 {
		final = fmt.Sprintf("**%d violations**", len(r.Violations))
	}
	agree := "yes"
	if !r.Agree {
		agree = "**no**"
	}
	lost := fmt.Sprint(len(r.Lost))
	if len(r.Lost) > 0 {
		lost = "**" + lost + "**"
	}
	notes := strings.Join(r.Notes, "; ")
	if r.Err != nil {
		notes = strings.TrimPrefix(notes+"; error: "+r.Err.Error(), "; ")
	}
	return fmt.Sprintf("| %s | %s | %.1f | %.1f | %d | %s | %d | %s | %s | %s | %s | %s | %s |",
		strings.ReplaceAll(r.Scenario, "|", `\|`), secs(r.Fault), r.RateBefore, r.RateDuring, r.Acked, lost, r.Reorg, secs(r.Stall), secs(r.BlockP95), secs(r.Recover), agree, final,
		strings.ReplaceAll(notes, "|", "/"))
}

// Problems lists what fails the verdict: an error, a lost acknowledged
// transfer, disagreement at the end, a finality violation.
func (r Result) Problems() []string {
	var p []string
	if r.Err != nil {
		p = append(p, r.Err.Error())
	}
	if len(r.Lost) > 0 {
		p = append(p, fmt.Sprintf("%d acknowledged transfers lost, first %s", len(r.Lost), r.Lost[0]))
	}
	if !r.Agree {
		p = append(p, "the nodes do not agree at the end")
	}
	if r.MaxBlockP95 > 0 && r.BlockP95 > r.MaxBlockP95 {
		p = append(p, fmt.Sprintf("block time p95 %v above %v", r.BlockP95, r.MaxBlockP95))
	}
	p = append(p, r.Violations...)
	return p
}

func secs(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }
