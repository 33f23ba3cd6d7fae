package graph_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/graph"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/db"
	"github.com/atelier/atelier/server/seed"
	"github.com/atelier/atelier/server/studio"
	"github.com/atelier/atelier/server/testutil"
)

// env is one test's API over a seeded database.
type env struct {
	DB  *db.DB
	API *client.Client
}

func newEnv(t *testing.T) *env {
	t.Helper()
	d := testutil.OpenDB(t)
	_, err := seed.Run(systemCtx(), d.Client, time.Now())
	require.NoError(t, err)
	logger := slog.New(slog.DiscardHandler)
	srv := handler.New(graph.NewSchema(graph.Deps{
		Client: d.Client,
		Studio: studio.NewStore(d.Client),
		Logger: logger,
	}))
	srv.AddTransport(transport.POST{})
	srv.SetErrorPresenter(graph.ErrorPresenter(logger))
	srv.SetRecoverFunc(graph.RecoverFunc(logger))
	return &env{DB: d, API: client.New(srv)}
}

// gqlError is the part of a GraphQL error the tests assert on.
type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

// systemCtx is the context of test set-up and checks that read the database directly: they
// act for no caller, so they pass the read policies (auth.System).
func systemCtx() context.Context { return auth.System(context.Background()) }
