package graph

import (
	"context"

	"github.com/atelier/atelier/graph/model"
	"github.com/atelier/atelier/server/session"
)

// edit runs one session update and maps the result.
func (r *Resolver) edit(ctx context.Context, id string, version int, quantity *int, e session.Edit) (*model.ConfigurationPayload, error) {
	res, err := r.sessions.Update(ctx, id, version, e, quantity)
	if err != nil {
		return nil, err
	}
	return configurationPayload(res), nil
}

// watchConfiguration streams every new version of configuration id: the current state first,
// then each update announced on the session's channel (or re-read after a Redis outage). It
// subscribes before reading, so an update landing in between is not missed.
func (r *Resolver) watchConfiguration(ctx context.Context, id string) (<-chan *model.Configuration, error) {
	sub, err := r.hub.Subscribe(ctx, r.sessions.Store().Channel(id))
	if err != nil {
		return nil, err
	}
	first, err := r.sessions.Get(ctx, id)
	if err != nil {
		sub.Close()
		return nil, err
	}
	out := make(chan *model.Configuration, 1)
	out <- configurationModel(first)
	go func() {
		defer close(out)
		defer sub.Close()
		last := first.State.Version
		for range sub.C() {
			// Whatever the message (a version or a resync), the session in Redis is the truth.
			res, err := r.sessions.Get(ctx, id)
			if err != nil {
				r.logger.WarnContext(ctx, "configuration watch ended", "id", id, "err", err)
				return
			}
			if res.State.Version <= last {
				continue
			}
			last = res.State.Version
			select {
			case out <- configurationModel(res):
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}
