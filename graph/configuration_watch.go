package graph

import (
	"context"

	"github.com/atelier/atelier/graph/model"
	"github.com/atelier/atelier/server/configuration"
)

// edit runs one session update and maps the result.
func (r *Resolver) edit(ctx context.Context, id string, version int, quantity *int, e configuration.Edit) (*model.ConfigurationPayload, error) {
	res, err := r.sessions.Update(ctx, id, version, e, quantity)
	if err != nil {
		return nil, err
	}
	return configurationPayload(res), nil
}

// watchConfiguration maps the session's stream of versions to GraphQL configurations.
func (r *Resolver) watchConfiguration(ctx context.Context, id string) (<-chan *model.Configuration, error) {
	results, err := r.sessions.Watch(ctx, r.hub, id)
	if err != nil {
		return nil, err
	}
	out := make(chan *model.Configuration, 1)
	go func() {
		defer close(out)
		for res := range results {
			select {
			case out <- configurationModel(res):
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}
