package studio

import (
	"context"
	"errors"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/server/catalog"
)

// DraftDiff lists what publishing productID's draft would change against its published
// version (everything is ADDED before the first publication).
func (s *Store) DraftDiff(ctx context.Context, client *ent.Client, productID int) ([]catalog.Change, error) {
	draft, err := BuildSnapshot(ctx, client, productID)
	if err != nil {
		return nil, err
	}
	p, err := client.Product.Get(ctx, productID)
	if err != nil {
		return nil, err
	}
	published, err := s.Snapshot(ctx, productID, p.CatalogVersion)
	if errors.Is(err, ErrNotPublished) {
		published, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	return catalog.Diff(published, draft), nil
}
