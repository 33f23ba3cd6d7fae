package studio

import (
	"context"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/server/txn"
)

// Edit runs one designer write in its own transaction and returns the record it wrote. The
// audit hook records the change through the mutation's client, the transaction's, so the
// write and its CatalogChange commit together or not at all. The record is unwrapped from the
// finished transaction, so that its edges can still be read (GraphQL selects them).
func Edit[T interface{ Unwrap() T }](ctx context.Context, client *ent.Client,
	write func(tx *ent.Client) (T, error),
) (T, error) {
	var (
		out    T
		joined bool
	)
	err := txn.Run(ctx, client, func(tx *ent.Client) error {
		// txn.Run hands back the same client when it already belongs to a transaction.
		joined = tx == client
		var err error
		out, err = write(tx)
		return err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	if joined {
		return out, nil
	}
	return out.Unwrap(), nil
}

// EditExec is Edit for a write that returns no record (a delete).
func EditExec(ctx context.Context, client *ent.Client, write func(tx *ent.Client) error) error {
	return txn.Run(ctx, client, write)
}
