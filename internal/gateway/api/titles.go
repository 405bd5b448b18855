package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

// Title is a parcel: owners (salted references) and shares, the pending
// transfer, liens.
type Title struct {
	Block BlockRef `json:"block"`
	*registry.Parcel
}

// History is a parcel's history of registrations, transfers and liens.
type History struct {
	Block   BlockRef         `json:"block"`
	Parcel  string           `json:"parcel"`
	Entries []registry.Entry `json:"entries"`
}

// parcelNotFound turns the registry's refusal of an unregistered parcel
// (the number itself was checked before) into not-found.
func parcelNotFound(parcel string, err error) error {
	if errors.Is(err, registry.ErrInput) {
		return problemf(kindNotFound, "parcel %q is not registered", parcel)
	}
	return err
}

func (s *Server) getTitle(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error) {
	parcel, err := code32Param(r, "parcel")
	if err != nil {
		return nil, err
	}
	p, err := c.Parcel(ctx, parcel)
	if err != nil {
		return nil, parcelNotFound(parcel, err)
	}
	return &Title{Block: refOf(v), Parcel: p}, nil
}

func (s *Server) getHistory(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error) {
	parcel, err := code32Param(r, "parcel")
	if err != nil {
		return nil, err
	}
	entries, err := c.History(ctx, parcel)
	if err != nil {
		return nil, parcelNotFound(parcel, err)
	}
	return &History{Block: refOf(v), Parcel: parcel, Entries: entries}, nil
}

func (s *Server) getTitleProof(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error) {
	parcel, err := code32Param(r, "parcel")
	if err != nil {
		return nil, err
	}
	if _, err := c.Parcel(ctx, parcel); err != nil {
		return nil, parcelNotFound(parcel, err)
	}
	p, err := registry.ProveTitle(ctx, c.RPC(), parcel, v.Block.Number)
	if err != nil {
		return nil, err
	}
	data, err := p.Encode()
	return rawBody(data), err
}
