// Package joinrequest is the join request file: a department's signed
// request to become a signer, made by `cityctl signer onboard`, checked by
// `cityctl signer approve` and read by the genesis ceremony (a department's
// join_request in network.toml). It is a file format only: it links neither
// the node nor a client of one, so genesis/ceremony can read it.
package joinrequest

import "errors"

// Department is a city department as join requests and the signer
// reports name it.
type Department struct {
	Code string `json:"code"` // short code, such as "TRANSPORT"
	Name string `json:"name"` // full name
}

var (
	// ErrInvalid is returned if a join request does not decode, is
	// incomplete, or its signature does not match its signer.
	ErrInvalid = errors.New("invalid join request")

	// ErrWrongNetwork is returned if a join request was made for another chain.
	ErrWrongNetwork = errors.New("join request for another network")
)
