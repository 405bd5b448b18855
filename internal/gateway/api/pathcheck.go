package api

import (
	"net/http"
	"strings"
)

// pathCheck returns the check of a route's path parameters, made from its
// pattern, or nil if it has none. The route's handler reads them again;
// checking them first answers a malformed one with 400 before any node is
// asked, so that it is not a 503 "no node ready" (which says: retry) while
// no node is.
func pathCheck(pattern string) func(*http.Request) error {
	var checks []func(*http.Request) error
	segs := strings.Split(pattern, "/")
	for i, seg := range segs {
		if !strings.HasPrefix(seg, "{") || !strings.HasSuffix(seg, "}") {
			continue
		}
		if c := paramCheck(seg[1:len(seg)-1], segs[i-1]); c != nil {
			checks = append(checks, c)
		}
	}
	if len(checks) == 0 {
		return nil
	}
	return func(r *http.Request) error {
		for _, c := range checks {
			if err := c(r); err != nil {
				return err
			}
		}
		return nil
	}
}

// paramCheck is the reader of one path parameter, by its name and the
// segment before it (a ballot's id is a hash, a poll's a number).
func paramCheck(name, after string) func(*http.Request) error {
	switch {
	case name == "hash" || name == "tx" || (name == "id" && after == "ballots"):
		return func(r *http.Request) error { _, err := hashParam(r, name); return err }
	case name == "id":
		return func(r *http.Request) error { _, err := idParam(r, name); return err }
	case name == "address":
		return func(r *http.Request) error { _, err := addressParam(r, name); return err }
	case name == "parcel":
		return func(r *http.Request) error { _, err := code32Param(r, name); return err }
	case name == "chainId" || name == "number":
		return func(r *http.Request) error { _, err := uintParam(r, name); return err }
	}
	return nil // {kind}: any name; the handler answers an unknown one
}

// checkPath answers 400 for a malformed path parameter before next runs.
func checkPath(pattern string, next http.Handler) http.Handler {
	check := pathCheck(pattern)
	if check == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := check(r); err != nil {
			writeProblem(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}
