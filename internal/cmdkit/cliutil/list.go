package cliutil

import "strings"

// SplitList reads a comma-separated flag value (--http.api eth,net,
// --cors a, b): its items without surrounding spaces, empty items dropped.
func SplitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
