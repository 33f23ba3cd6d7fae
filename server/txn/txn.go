// Package txn runs a unit of work in one database transaction.
package txn

import (
	"context"
	"errors"
	"fmt"

	"github.com/atelier/atelier/ent"
)

// Run runs fn with a transactional client and commits, or rolls back on an error or a panic.
// When client already belongs to a transaction, fn joins it.
func Run(ctx context.Context, client *ent.Client, fn func(*ent.Client) error) error {
	tx, err := client.Tx(ctx)
	if errors.Is(err, ent.ErrTxStarted) {
		return fn(client)
	}
	if err != nil {
		return fmt.Errorf("starting transaction: %w", err)
	}
	defer func() {
		if v := recover(); v != nil {
			_ = tx.Rollback()
			panic(v)
		}
	}()
	if err := fn(tx.Client()); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing: %w", err)
	}
	return nil
}
