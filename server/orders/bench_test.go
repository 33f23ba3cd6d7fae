package orders_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/orderevent"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/server/app"
	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/config"
	"github.com/atelier/atelier/server/testutil"
)

// BenchmarkPlaceOrder measures placeOrder through the real handler on SQLite and (with
// DATABASE_URL) PostgreSQL, beside its baseline in the same run: the bare database work of an
// order — the order row and its first event in one transaction.
func BenchmarkPlaceOrder(b *testing.B) {
	dbs := []struct{ name, url string }{{"sqlite", ""}}
	if u := os.Getenv("DATABASE_URL"); strings.HasPrefix(u, "postgres") {
		dbs = append(dbs, struct{ name, url string }{"postgres", u})
	}
	for _, d := range dbs {
		b.Run(d.name, func(b *testing.B) {
			url := "file:" + filepath.Join(b.TempDir(), "bench.db")
			if d.url != "" {
				url = testutil.PostgresURL(b, d.url)
			}
			cfg, err := config.Load([]string{"-web-dir", b.TempDir(), "-rate-limit-mutations", "0"},
				func(k string) (string, bool) {
					if k == "DATABASE_URL" {
						return url, true
					}
					return "", false
				}, io.Discard)
			if err != nil {
				b.Fatal(err)
			}
			a, err := app.New(context.Background(), cfg, slog.New(slog.DiscardHandler))
			if err != nil {
				b.Fatal(err)
			}
			cfgID, version := completeConfiguration(b, a)
			b.Run("placeOrder", func(b *testing.B) {
				b.ReportAllocs()
				for i := range b.N {
					in := map[string]any{
						"configurationId": cfgID, "version": version,
						"idempotencyKey": fmt.Sprintf("bench-%s-%d-%d", d.name, time.Now().UnixNano(), i),
						"customer":       map[string]any{"name": "Bench", "email": "bench@example.com"},
						"shippingAddress": map[string]any{"name": "Bench", "line1": "1 Rue", "city": "Paris",
							"postalCode": "75001", "country": "FR"},
					}
					post(b, a, `mutation($in: PlaceOrderInput!) { placeOrder(input: $in) { order { id number } orderToken } }`,
						map[string]any{"in": in})
				}
			})
			b.Run("baseline-insert", func(b *testing.B) {
				b.ReportAllocs()
				ctx := context.Background()
				client := a.DB.Client
				pid := client.Product.Query().Where(product.Slug("heritage-sport")).OnlyIDX(ctx)
				for i := range b.N {
					tx, err := client.Tx(ctx)
					if err != nil {
						b.Fatal(err)
					}
					o, err := tx.Order.Create().SetProductID(pid).
						SetNumber(fmt.Sprintf("B-%d-%d", time.Now().UnixNano(), i)).
						SetIdempotencyKey(fmt.Sprintf("base-%d-%d", time.Now().UnixNano(), i)).
						SetTokenHash([]byte(fmt.Sprintf("h-%d-%d", time.Now().UnixNano(), i))).
						SetCatalogVersion(1).SetQuantity(1).SetCurrency("USD").SetTotal(12900).
						SetDepositDue(3870).SetBalanceDue(9030).SetCustomerName("Bench").
						SetCustomerEmail("bench@example.com").SetSnapshot(&catalog.OrderSnapshot{}).
						SetShipsEarliest(time.Now()).SetShipsLatest(time.Now()).SetLastSeq(1).
						SetStatus(order.StatusPlaced).Save(ctx)
					if err != nil {
						b.Fatal(err)
					}
					if err := tx.OrderEvent.Create().SetOrderID(o.ID).SetSeq(1).
						SetStatus(orderevent.StatusPlaced).Exec(ctx); err != nil {
						b.Fatal(err)
					}
					if err := tx.Commit(); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

type gqlResult struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message string `json:"message"`
	} `json:"errors"`
}

func post(b *testing.B, a *app.App, query string, vars map[string]any) json.RawMessage {
	b.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	a.HTTP.ServeHTTP(rec, req)
	var r gqlResult
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil || len(r.Errors) > 0 {
		b.Fatalf("%s: %v %s", query, err, rec.Body)
	}
	return r.Data
}

// completeConfiguration configures the first product by taking, in each group that needs a
// choice, its first option still possible.
func completeConfiguration(b *testing.B, a *app.App) (string, int) {
	b.Helper()
	type cfg struct {
		ID       string
		Version  int
		Complete bool
		Groups   []struct {
			Group struct {
				Key, Kind string
				Required  bool
			}
			None    *string
			Options []struct {
				Option struct{ Key string }
				State  string
			}
		}
	}
	const fields = `id version complete groups { group { key kind required } none options { option { key } state } }`
	var out struct{ Product struct{ ID string } }
	_ = json.Unmarshal(post(b, a, `{ product(slug: "heritage-sport") { id } }`, nil), &out)
	var started struct{ StartConfiguration struct{ Configuration cfg } }
	_ = json.Unmarshal(post(b, a, `mutation($p: ID!) { startConfiguration(input: {productId: $p}) { configuration { `+
		fields+` } } }`, map[string]any{"p": out.Product.ID}), &started)
	c := started.StartConfiguration.Configuration
	for step := 0; !c.Complete && step < 30; step++ {
		for _, g := range c.Groups {
			selected := false
			for _, o := range g.Options {
				selected = selected || o.State == "SELECTED"
			}
			needed := g.Group.Required || (g.None != nil && *g.None == "EXCLUDED")
			if selected || !needed || g.Group.Kind == "TEXT" {
				continue
			}
			for _, o := range g.Options {
				if o.State != "AVAILABLE" && o.State != "FORCED" {
					continue
				}
				in := map[string]any{"configurationId": c.ID, "version": c.Version, "group": g.Group.Key}
				mutation := "selectOption"
				if g.Group.Kind == "NUMBER" {
					mutation = "setNumber"
					var v int
					fmt.Sscan(o.Option.Key, &v)
					in["value"] = v
				} else {
					in["option"] = o.Option.Key
				}
				var res map[string]struct{ Configuration cfg }
				_ = json.Unmarshal(post(b, a, fmt.Sprintf(`mutation($in: %sInput!) { %s(input: $in) { configuration { %s } } }`,
					strings.ToUpper(mutation[:1])+mutation[1:], mutation, fields), map[string]any{"in": in}), &res)
				c = res[mutation].Configuration
				break
			}
			break
		}
	}
	if !c.Complete {
		b.Fatal("could not complete a configuration")
	}
	return c.ID, c.Version
}
