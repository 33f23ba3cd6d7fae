package graph_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/99designs/gqlgen/client"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/graph"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/studio"
	"github.com/atelier/atelier/server/testutil"
)

// countingDriver is ent's driver that counts the statements sent to the database (queries and
// executions, in transactions too), so a test can say how many round trips an operation costs.
type countingDriver struct {
	dialect.Driver
	n *atomic.Int64
}

func (d countingDriver) Query(ctx context.Context, query string, args, v any) error {
	d.n.Add(1)
	return d.Driver.Query(ctx, query, args, v)
}

func (d countingDriver) Exec(ctx context.Context, query string, args, v any) error {
	d.n.Add(1)
	return d.Driver.Exec(ctx, query, args, v)
}

func (d countingDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	return countingTx{Tx: tx, n: d.n}, nil
}

type countingTx struct {
	dialect.Tx
	n *atomic.Int64
}

func (t countingTx) Query(ctx context.Context, query string, args, v any) error {
	t.n.Add(1)
	return t.Tx.Query(ctx, query, args, v)
}

func (t countingTx) Exec(ctx context.Context, query string, args, v any) error {
	t.n.Add(1)
	return t.Tx.Exec(ctx, query, args, v)
}

// countingEnv is the API over a fresh database whose statements are counted.
type countingEnv struct {
	client  *ent.Client
	queries atomic.Int64
	handler *handler.Server
}

func newCountingEnv(t *testing.T) *countingEnv {
	t.Helper()
	d := testutil.OpenDB(t)
	e := &countingEnv{}
	drv := countingDriver{Driver: entsql.OpenDB(d.Dialect, d.SQL), n: &e.queries}
	e.client = ent.NewClient(ent.Driver(drv))
	logger := slog.New(slog.DiscardHandler)
	e.handler = handler.New(graph.NewSchema(graph.Deps{
		Client: e.client,
		Studio: studio.NewStore(e.client),
		Logger: logger,
	}))
	e.handler.AddTransport(transport.POST{})
	// As server/app installs them: the products page reads its lists ahead, so its count does
	// not depend on the loaders' timer.
	e.handler.Use(graph.Loaders{Client: e.client})
	e.handler.SetErrorPresenter(graph.ErrorPresenter(logger))
	e.handler.SetRecoverFunc(graph.RecoverFunc(logger))
	return e
}

// run sends an operation as role and returns how many statements it cost.
func (e *countingEnv) run(t *testing.T, role stafftoken.Role, query string, vars map[string]any,
	out any,
) int64 {
	t.Helper()
	as := func(r *client.Request) {
		viewer := &auth.Viewer{Name: "Dana", Role: role}
		r.HTTP = r.HTTP.WithContext(auth.NewContext(r.HTTP.Context(), viewer))
	}
	opts := []client.Option{as}
	for k, v := range vars {
		opts = append(opts, client.Var(k, v))
	}
	e.queries.Store(0)
	resp, err := client.New(e.handler).RawPost(query, opts...)
	n := e.queries.Load()
	require.NoError(t, err)
	require.Empty(t, resp.Errors, "errors from %s", query)
	data, err := json.Marshal(resp.Data)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, out))
	return n
}

// spaDocument returns the SPA's document that holds operation, as the client preset keys it in
// the generated web-client/src/gql/gql.ts, that is as urql sends it.
func spaDocument(t *testing.T, operation string) string {
	t.Helper()
	f, err := os.Open("../web-client/src/gql/gql.ts")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	in := false
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "const documents"):
			in = true
		case in && strings.HasPrefix(line, "};"):
			in = false
		case in:
			key := strings.TrimSpace(line)
			end := strings.LastIndex(key, `": `)
			require.Positive(t, end, "unexpected line in gql.ts: %s", line)
			var text string
			require.NoError(t, json.Unmarshal([]byte(key[:end+1]), &text))
			head := "query " + operation
			if strings.Contains(text, head+"(") || strings.Contains(text, head+" ") {
				require.NotContains(t, text, "...", "%s spreads fragments: assemble them", operation)
				return text
			}
		}
	}
	require.NoError(t, sc.Err())
	t.Fatalf("no operation %s in gql.ts", operation)
	return ""
}

// catalogue fills the database with n products, each with 3 option groups of 4 options, 3 rules,
// 3 price rules and 3 quantity tiers (25 rows a product), and 5 orders a product.
func (e *countingEnv) catalogue(t *testing.T, n int) {
	t.Helper()
	ctx := systemCtx()
	c := e.client
	now := time.Now()
	for i := range n {
		p := c.Product.Create().SetSlug(fmt.Sprintf("strap-%d", i)).SetName(fmt.Sprintf("Strap %d", i)).
			SetCurrency([]string{"EUR", "USD"}[i%2]).SetBasePrice(10000).SetBuildDaysMin(5).
			SetBuildDaysMax(10).SetStatus(product.StatusActive).SaveX(ctx)
		for g := range 3 {
			grp := c.OptionGroup.Create().SetProductID(p.ID).SetKey(fmt.Sprintf("g%d", g)).
				SetName(fmt.Sprintf("Group %d", g)).SetPosition(g).SaveX(ctx)
			for o := range 4 {
				c.OptionValue.Create().SetGroupID(grp.ID).SetKey(fmt.Sprintf("o%d", o)).
					SetName(fmt.Sprintf("Option %d", o)).SetPriceDelta(int64(100 * o)).SetPosition(o).SaveX(ctx)
			}
		}
		for r := range 3 {
			c.Rule.Create().SetProductID(p.ID).SetKey(fmt.Sprintf("r%d", r)).
				SetExpression("g0 = o0 -> g1 != o1").SetMessage("m").SaveX(ctx)
			c.PriceRule.Create().SetProductID(p.ID).SetLabel("x").SetCondition("g0 = o1").
				SetAmount(int64(100 + r)).SaveX(ctx)
			c.PriceTier.Create().SetProductID(p.ID).SetMinQuantity(2 + r).SetDiscountBasisPoints(100).
				SaveX(ctx)
		}
		for o := range 5 {
			key := fmt.Sprintf("p%d-o%d", i, o)
			c.Order.Create().SetNumber("A-" + key).SetIdempotencyKey(key).SetTokenHash([]byte(key)).
				SetCatalogVersion(1).SetQuantity(1).SetCurrency(p.Currency).SetTotal(10000).
				SetDepositDue(3000).SetBalanceDue(7000).SetCustomerName("C " + key).
				SetCustomerEmail(key + "@example.com").SetSnapshot(&catalog.OrderSnapshot{}).
				SetShipsEarliest(now).SetShipsLatest(now).SetProductID(p.ID).
				SetStatus([]order.Status{order.StatusPlaced, order.StatusCrafting}[o%2]).SaveX(ctx)
		}
	}
}

// The studio's product page and the workshop's queue cost the same number of statements
// whatever the size of the catalogue and of the queue: every list is read in one batch per
// level, not once per parent (issue 13).
func TestPagesCostNoQueryPerRow(t *testing.T) {
	t.Parallel()
	designerProducts := spaDocument(t, "DesignerProducts")
	queue := spaDocument(t, "WorkshopQueue")
	// The queue's first page as the SPA asks for it: the orders in progress.
	queueVars := map[string]any{
		"where": map[string]any{"and": []any{
			map[string]any{"statusNotIn": []string{"SHIPPED", "DELIVERED", "CANCELLED"}},
		}},
		"first": 50,
	}
	type counts struct{ studio, queue int64 }
	measure := func(n int) counts {
		e := newCountingEnv(t)
		e.catalogue(t, n)
		var studioOut struct {
			Products struct {
				Edges []struct {
					Node struct {
						ID          string
						DraftGroups []struct {
							Options []struct {
								PriceDelta struct{ Currency string }
							}
						}
						Rules      []struct{ ID string }
						PriceRules []struct {
							Amount struct{ Currency string }
						}
						PriceTiers []struct{ ID string }
					}
				}
			}
		}
		var c counts
		c.studio = e.run(t, stafftoken.RoleDesigner, designerProducts, nil, &studioOut)
		require.Len(t, studioOut.Products.Edges, n)
		for _, edge := range studioOut.Products.Edges {
			p := edge.Node
			require.Len(t, p.DraftGroups, 3)
			for _, g := range p.DraftGroups {
				require.Len(t, g.Options, 4)
			}
			assert.Len(t, p.Rules, 3)
			assert.Len(t, p.PriceRules, 3)
			assert.Len(t, p.PriceTiers, 3)
		}
		var queueOut struct {
			Orders struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						Product struct{ ID, Name string }
					}
				}
			}
		}
		c.queue = e.run(t, stafftoken.RoleWorkshop, queue, queueVars, &queueOut)
		require.Equal(t, 5*n, queueOut.Orders.TotalCount)
		require.Len(t, queueOut.Orders.Edges, 5*n)
		return c
	}
	small, large := measure(2), measure(6)
	t.Logf("statements: studio product page %d (2 products, 50 rows) → %d (6 products, 150 rows); "+
		"workshop queue %d (10 orders) → %d (30 orders)",
		small.studio, large.studio, small.queue, large.queue)
	assert.Equal(t, small.studio, large.studio, "the studio's product page costs a query per row")
	assert.Equal(t, small.queue, large.queue, "the workshop's queue costs a query per row")
}
