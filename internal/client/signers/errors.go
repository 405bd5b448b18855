package signers

import (
	"errors"

	"github.com/citychain/citychain/genesis/joinrequest"
)

// Errors shared with cmd/cityctl, which checks them with errors.Is.
var (
	// ErrUnreachable is returned if the node's JSON-RPC endpoint does not answer.
	ErrUnreachable = errors.New("node unreachable")

	// ErrUnauthorized is returned if the control listener refused the
	// request's JWT (HTTP 401): no --jwtsecret, or another node's.
	ErrUnauthorized = errors.New("the control listener refused the token")

	// ErrNotControl is returned if a vote was sent to a listener that takes
	// none: a node's public JSON-RPC (ADR 062).
	ErrNotControl = errors.New("not a control listener")

	// ErrNotSigner is returned if a vote is to be cast through a node whose
	// sealing account is not an authorized signer: its vote would never count.
	ErrNotSigner = errors.New("node is not a signer")

	// ErrAlreadySigner is returned if a join request or a proposal to add names
	// an account that already is a signer.
	ErrAlreadySigner = errors.New("already a signer")

	// ErrNoSuchSigner is returned if a proposal to drop names an account that
	// is not a signer.
	ErrNoSuchSigner = errors.New("not a signer")

	// ErrZeroAddress is returned for a proposal on the zero address, which
	// Clique headers use to mean "no vote".
	ErrZeroAddress = errors.New("zero address")

	// ErrBadRequest is returned if a join request does not decode, is
	// incomplete, or its signature does not match its signer.
	ErrBadRequest = joinrequest.ErrInvalid

	// ErrWrongNetwork is returned if a join request was made for another chain.
	ErrWrongNetwork = joinrequest.ErrWrongNetwork
)
