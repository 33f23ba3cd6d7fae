package faulttest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/testutil"
)

type readiness struct {
	status int
	body   map[string]any
}

func readyz(t *testing.T, base string) readiness {
	t.Helper()
	resp, err := http.Get(base + "/readyz")
	require.NoError(t, err)
	defer resp.Body.Close()
	var body map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	return readiness{status: resp.StatusCode, body: body}
}

func (r readiness) ok(name string) bool {
	m, _ := r.body[name].(map[string]any)
	ok, _ := m["ok"].(bool)
	return ok
}

// The database unreachable (a TCP proxy in front of PostgreSQL is cut): queries that need it
// answer UNAVAILABLE, /readyz turns false naming the database, and everything recovers without a
// restart once the proxy listens again.
func TestDatabaseUnreachable(t *testing.T) {
	if !strings.HasPrefix(os.Getenv("DATABASE_URL"), "postgres") {
		t.Skip("needs PostgreSQL (DATABASE_URL): an embedded SQLite file cannot be made unreachable " +
			"under an open connection pool")
	}
	direct := testutil.DatabaseURL(t)
	u, err := url.Parse(direct)
	require.NoError(t, err)
	proxy := testutil.StartProxy(t, u.Host)
	u.Host = proxy.Addr
	token := staffToken(t, direct)
	r := testutil.OpenRedis(t)
	inst := startInstance(t, u.String(), r.URL, r.Prefix)

	o := placeOrder(t, inst.URL)
	const ordersQuery = `query { orders(first: 5) { edges { node { id status } } } }`
	const productsQuery = `query { products(first: 5) { edges { node { id slug } } } }`
	orderQuery := func(tok string) (*response, error) {
		return post(context.Background(), inst.URL, tok, `query($id: ID!) { order(id: $id) { id status } }`,
			map[string]any{"id": o.ID})
	}
	must(t, inst.URL, token, ordersQuery, nil, nil)
	require.Equal(t, http.StatusOK, readyz(t, inst.URL).status)

	proxy.Cut()
	cutAt := time.Now()

	// Every query that needs the database: UNAVAILABLE, never INTERNAL.
	checks := []struct {
		name string
		run  func() (*response, error)
	}{
		{"products (anonymous)", func() (*response, error) {
			return post(context.Background(), inst.URL, "", productsQuery, nil)
		}},
		{"orders (WORKSHOP token)", func() (*response, error) {
			return post(context.Background(), inst.URL, token, ordersQuery, nil)
		}},
		{"order (order token)", func() (*response, error) { return orderQuery(o.Token) }},
		{"advanceOrder (WORKSHOP token)", func() (*response, error) {
			return step(context.Background(), inst.URL, token, o, "PAY")
		}},
	}
	for _, c := range checks {
		start := time.Now()
		r, err := c.run()
		require.NoError(t, err, c.name)
		if r.code() != "UNAVAILABLE" {
			t.Errorf("%s while the database is unreachable: HTTP %d, code %q, errors %+v, data %s",
				c.name, r.Status, r.code(), r.Errors, r.Data)
		}
		t.Logf("%s: HTTP %d %s in %s", c.name, r.Status, r.code(), time.Since(start).Round(time.Millisecond))
	}
	rd := readyz(t, inst.URL)
	require.Equal(t, http.StatusServiceUnavailable, rd.status, "/readyz: %v", rd.body)
	require.False(t, rd.ok("database"), "/readyz: %v", rd.body)
	require.True(t, rd.ok("redis"), "/readyz: %v", rd.body)
	require.Equal(t, false, rd.body["ready"])

	proxy.Restore(t)
	t.Logf("database unreachable for %s", time.Since(cutAt).Round(time.Millisecond))

	// Recovery without a restart.
	testutil.Eventually(t, 15*time.Second, func() bool {
		return readyz(t, inst.URL).status == http.StatusOK
	}, "/readyz turns true again")
	for _, c := range checks {
		var last *response
		testutil.Eventually(t, 10*time.Second, func() bool {
			r, err := c.run()
			last = r
			return err == nil && len(r.Errors) == 0
		}, c.name+" succeeds again")
		_ = last
	}
}
