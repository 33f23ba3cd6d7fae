// Package txn runs a unit of work in one database transaction.
package txn

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/atelier/atelier/ent"
)

// Run runs fn with a transactional client and commits, or rolls back on an error or a panic.
// When client already belongs to a transaction, fn joins it.
func Run(ctx context.Context, client *ent.Client, fn func(*ent.Client) error) error {
	return RunSQL(ctx, client, func(tx *ent.Client, _ *sql.Tx) error { return fn(tx) })
}

// ErrNoSQLTx is returned by RunSQL when the transaction's *sql.Tx is not known: the client was
// not opened on a Driver, or it belongs to a transaction begun elsewhere.
var ErrNoSQLTx = errors.New("txn: the transaction's *sql.Tx is not available")

// RunSQL is Run that also hands fn the transaction's *sql.Tx, for work that must commit or roll
// back with it outside ent (jobs inserted into the queue in the same transaction). The client
// must have been opened on a Driver; when it already belongs to a transaction, sqlTx is nil.
func RunSQL(ctx context.Context, client *ent.Client,
	fn func(tx *ent.Client, sqlTx *sql.Tx) error,
) error {
	s := &slot{}
	tx, err := client.Tx(context.WithValue(ctx, slotKey{}, s))
	if errors.Is(err, ent.ErrTxStarted) {
		return fn(client, nil)
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
	if err := fn(tx.Client(), s.tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing: %w", err)
	}
	return nil
}

// slot receives the *sql.Tx a Driver begins for RunSQL.
type slot struct{ tx *sql.Tx }

type slotKey struct{}

// Driver is ent's SQL driver that tells RunSQL the *sql.Tx of each transaction it begins
// (ent's own transaction keeps it private).
type Driver struct {
	*entsql.Driver
}

// Tx begins a transaction.
func (d Driver) Tx(ctx context.Context) (dialect.Tx, error) {
	return d.BeginTx(ctx, nil)
}

// BeginTx begins a transaction with opts and, when RunSQL asked for it, records its *sql.Tx.
func (d Driver) BeginTx(ctx context.Context, opts *entsql.TxOptions) (dialect.Tx, error) {
	tx, err := d.Driver.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	if s, ok := ctx.Value(slotKey{}).(*slot); ok {
		if etx, ok := tx.(*entsql.Tx); ok {
			s.tx, _ = etx.Tx.(*sql.Tx)
		}
	}
	return tx, nil
}
