package configuration

import (
	"context"

	"github.com/atelier/atelier/server/pubsub"
)

// Watch streams every new version of session id: the current state first, then each update
// announced on the session's channel (or re-read after a Redis outage), each version once and
// in order. It subscribes before reading, so an update landing in between is not missed. The
// stream ends with ctx, or when the session can no longer be read (expired, Redis gone).
func (s *Service) Watch(ctx context.Context, hub *pubsub.Hub, id string) (<-chan *Result, error) {
	sub, err := hub.Subscribe(ctx, s.store.Channel(id))
	if err != nil {
		return nil, err
	}
	first, err := s.Get(ctx, id)
	if err != nil {
		sub.Close()
		return nil, err
	}
	out := make(chan *Result, 1)
	out <- first
	go func() {
		defer close(out)
		defer sub.Close()
		last := first.State.Version
		for range sub.C() {
			// Whatever the message (a version or a resync), the session in Redis is the truth.
			res, err := s.Get(ctx, id)
			if err != nil {
				return
			}
			if res.State.Version <= last {
				continue
			}
			last = res.State.Version
			select {
			case out <- res:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}
