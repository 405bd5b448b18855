// Package api is citygate's public HTTP API under /api/v1: reads of the
// municipal registry (documents, titles, polls, market stalls, the network)
// at the finalized block by default, cached per request and block hash with
// ETag and Cache-Control; the Active Citizen ballot intake; a server-sent
// event stream of ballot states and tallies; errors as RFC 9457 problem
// JSON. The routes are one table (routes.go), described by the OpenAPI 3.1
// document served at /api/v1/openapi.json (openapi.json, committed as
// docs/gateway-openapi.json too).
package api
