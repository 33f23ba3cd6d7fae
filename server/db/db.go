// Package db opens the database behind DATABASE_URL (SQLite through modernc, or PostgreSQL through
// pgx) as an ent client and migrates its schema.
package db

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver.
	_ "modernc.org/sqlite"             // registers the "sqlite" driver.

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/migrate"
	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/catalog"
	// The runtime stitches defaults, validators and the read policies into the client.
	_ "github.com/atelier/atelier/ent/runtime"
	"github.com/atelier/atelier/server/config"
	"github.com/atelier/atelier/server/txn"
)

// sqlitePragmas are added to a SQLite DSN when it does not set them: foreign keys are needed by the
// migration, the busy timeout and WAL let concurrent requests share the file.
var sqlitePragmas = []struct{ name, value string }{
	{"foreign_keys", "foreign_keys(1)"},
	{"busy_timeout", "busy_timeout(10000)"},
	{"journal_mode", "journal_mode(WAL)"},
}

// sqliteTxLock makes every transaction take SQLite's write lock when it begins, so concurrent
// writers queue on the busy timeout instead of failing when a read lock cannot be upgraded.
const sqliteTxLock = "immediate"

// DB is an open database.
type DB struct {
	// Client is the ent client.
	Client *ent.Client
	// SQL is the underlying pool, for health checks.
	SQL *sql.DB
	// Dialect is dialect.SQLite or dialect.Postgres.
	Dialect string
}

// Open connects to rawURL and, with migrate, brings its schema up to date.
func Open(ctx context.Context, rawURL string, migrateSchema bool) (*DB, error) {
	if err := config.ValidateDatabaseURL(rawURL); err != nil {
		return nil, err
	}
	var (
		driver, dsn, dia string
	)
	if strings.HasPrefix(rawURL, "file:") {
		var err error
		dsn, err = SQLiteDSN(rawURL)
		if err != nil {
			return nil, err
		}
		driver, dia = "sqlite", dialect.SQLite
	} else {
		driver, dsn, dia = "pgx", rawURL, dialect.Postgres
	}
	sqlDB, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("opening %s database: %w", dia, err)
	}
	if dia == dialect.SQLite {
		// One writer at a time is SQLite's rule; a small pool avoids lock storms.
		sqlDB.SetMaxOpenConns(4)
	} else {
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(20)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("connecting to %s database: %w", dia, err)
	}
	// txn.Driver lets a unit of work reach its *sql.Tx (the job queue inserts in it).
	client := ent.NewClient(ent.Driver(txn.Driver{Driver: entsql.OpenDB(dia, sqlDB)}))
	// Hooks (the catalog audit trail among them) are the application's to register: see
	// app.UseHooks.
	d := &DB{Client: client, SQL: sqlDB, Dialect: dia}
	if migrateSchema {
		if err := d.Migrate(ctx); err != nil {
			_ = client.Close()
			return nil, err
		}
	}
	return d, nil
}

// migrateMu serialises migrations within a process: ent's migration mutates the generated,
// package-level table definitions, so two concurrent migrations (two instances in one test
// binary) would race on them.
var migrateMu sync.Mutex

// Migrate creates or updates the schema; it is safe to run again.
func (d *DB) Migrate(ctx context.Context) error {
	migrateMu.Lock()
	defer migrateMu.Unlock()
	if err := d.Client.Schema.Create(ctx, migrate.WithGlobalUniqueID(true)); err != nil {
		return fmt.Errorf("migrating schema: %w", err)
	}
	if _, err := BackfillOrderLines(ctx, d.Client); err != nil {
		return fmt.Errorf("migrating order lines: %w", err)
	}
	return nil
}

// BackfillOrderLines gives every order stored before orders had lines its one line, copied from
// the order's own frozen snapshot, and returns how many it wrote. It is idempotent and safe to
// run from several instances at once (a line at position 0 of an order is unique: a concurrent
// instance's line is left alone).
func BackfillOrderLines(ctx context.Context, client *ent.Client) (int, error) {
	ctx = auth.System(ctx)
	written := 0
	for {
		olds, err := client.Order.Query().Where(order.Not(order.HasLines())).
			WithProduct().Order(ent.Asc(order.FieldID)).Limit(200).All(ctx)
		if err != nil {
			return written, err
		}
		if len(olds) == 0 {
			return written, nil
		}
		for _, o := range olds {
			snap := o.Snapshot
			if snap == nil {
				snap = &catalog.OrderSnapshot{Quantity: o.Quantity, Total: o.Total, Currency: o.Currency}
			}
			err := client.OrderLine.Create().SetOrderID(o.ID).SetProductID(o.Edges.Product.ID).
				SetPosition(0).SetConfigurationID(o.ConfigurationID).SetQuantity(o.Quantity).
				SetUnitPrice(snap.Unit).SetDiscount(snap.Discount).SetTotal(o.Total).
				SetSnapshot(snap).Exec(ctx)
			if err != nil && !ent.IsConstraintError(err) {
				return written, fmt.Errorf("backfilling the line of order %d: %w", o.ID, err)
			}
			if err == nil {
				written++
			}
		}
	}
}

// Close closes the client and its pool.
func (d *DB) Close() error { return d.Client.Close() }

// SQLiteDSN turns `file:PATH[?…]` into a DSN with the pragmas Atelier needs, creating PATH's folder.
func SQLiteDSN(rawURL string) (string, error) {
	path, query, _ := strings.Cut(strings.TrimPrefix(rawURL, "file:"), "?")
	values, err := url.ParseQuery(query)
	if err != nil {
		return "", &config.Error{Setting: "DATABASE_URL", Msg: fmt.Sprintf("bad query string: %v", err)}
	}
	inMemory := values.Get("mode") == "memory" || path == ":memory:"
	if !inMemory && path != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return "", fmt.Errorf("creating database folder: %w", err)
		}
	}
	have := strings.Join(values["_pragma"], ",")
	for _, p := range sqlitePragmas {
		if inMemory && p.name == "journal_mode" {
			continue
		}
		if !strings.Contains(have, p.name) {
			values.Add("_pragma", p.value)
		}
	}
	if values.Get("_txlock") == "" {
		values.Set("_txlock", sqliteTxLock)
	}
	return "file:" + path + "?" + values.Encode(), nil
}
