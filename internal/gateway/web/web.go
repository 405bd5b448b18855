// Package web is citygate's verification web page: static files embedded in
// the binary and served at / (docs/gateway.md, "The web page"). The page
// uses only the gateway's own /api/v1 (no CDN, no fonts or scripts from
// elsewhere), hashes dropped files with keccak-256 in the browser, and comes
// in Russian and English.
package web

import (
	"embed"
	"io/fs"
)

//go:embed static
var static embed.FS

// FS returns the page's files, index.html at its root.
func FS() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the directory is embedded above
	}
	return sub
}
