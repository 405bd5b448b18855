// Package gateway wires citygate: the rpc node pool (upstream), the public
// API (api), the ballot intake and its store (intake), the relayer
// (relayer), the metrics server and the HTTP(S) listener with graceful
// shutdown. cmd/citygate builds its Config from flags, environment and TOML.
//
// The web page is mounted through Options.Assets (an fs.FS such as an
// embed.FS): its files are served at / for every path outside /api/ and
// /health/. A gateway built without it answers / with a no-web-page problem.
package gateway
