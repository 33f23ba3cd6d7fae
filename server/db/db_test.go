package db_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/db"
	"github.com/atelier/atelier/server/testutil"
)

func TestMigrateFromEmptyAndAgain(t *testing.T) {
	t.Parallel()
	cases := map[string]func(t *testing.T) string{
		"sqlite": func(t *testing.T) string {
			return "file:" + filepath.Join(t.TempDir(), "nested", "atelier.db")
		},
		"postgres": func(t *testing.T) string {
			base := os.Getenv("DATABASE_URL")
			if !strings.HasPrefix(base, "postgres") {
				testutil.NeedOrSkip(t, "DATABASE_URL does not name a PostgreSQL server")
			}
			return testutil.PostgresURL(t, base)
		},
	}
	for name, url := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			u := url(t)
			d, err := db.Open(ctx, u, true)
			require.NoError(t, err)
			n, err := d.Client.Product.Query().Count(ctx)
			require.NoError(t, err)
			assert.Zero(t, n, "a fresh database is empty")
			require.NoError(t, d.Migrate(ctx), "migrating an up-to-date schema again")
			require.NoError(t, d.Close())

			again, err := db.Open(ctx, u, true)
			require.NoError(t, err, "reopening and migrating an existing database")
			require.NoError(t, again.Close())
		})
	}
}

func TestSQLiteDSNAddsPragmas(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name, in string
		want     []string
		notWant  []string
	}{
		{"plain file", "file:" + dir + "/a.db",
			[]string{"foreign_keys(1)", "busy_timeout(10000)", "journal_mode(WAL)"}, nil},
		{"keeps caller pragmas", "file:" + dir + "/b.db?_pragma=busy_timeout(1)",
			[]string{"busy_timeout(1)", "foreign_keys(1)"}, []string{"busy_timeout(10000)"}},
		{"memory has no WAL", "file:mem1?mode=memory&cache=shared",
			[]string{"foreign_keys(1)"}, []string{"journal_mode"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dsn, err := db.SQLiteDSN(tt.in)
			require.NoError(t, err)
			for _, w := range tt.want {
				assert.Contains(t, dsn, strings.NewReplacer("(", "%28", ")", "%29").Replace(w))
			}
			for _, w := range tt.notWant {
				assert.NotContains(t, dsn, strings.NewReplacer("(", "%28", ")", "%29").Replace(w))
			}
		})
	}
}

func TestOpenRejectsUnknownScheme(t *testing.T) {
	t.Parallel()
	_, err := db.Open(context.Background(), "mysql://root@localhost/test", true)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "DATABASE_URL")
	assert.Contains(t, err.Error(), "must start with postgres:// or file:")
}
