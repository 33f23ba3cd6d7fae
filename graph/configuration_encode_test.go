package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/atelier/atelier/graph"
	"github.com/atelier/atelier/server/configuration"
	"github.com/atelier/atelier/server/seed"
	"github.com/atelier/atelier/server/studio"
	"github.com/atelier/atelier/server/testutil"
)

// encoderRig serves one schema twice: plainly by gqlgen, and with the ConfigurationEncoder.
type encoderRig struct {
	plain, fast http.Handler
	enc         *graph.ConfigurationEncoder
}

func newEncoderRig(t *testing.T) *encoderRig {
	t.Helper()
	d := testutil.OpenDB(t)
	_, err := seed.Run(context.Background(), d.Client, time.Now())
	require.NoError(t, err)
	r := testutil.OpenRedis(t)
	studioStore := studio.NewStore(d.Client)
	logger := slog.New(slog.DiscardHandler)
	schema := graph.NewSchema(graph.Deps{
		Client: d.Client,
		Studio: studioStore,
		Logger: logger,
		Sessions: configuration.NewService(configuration.Options{
			Store: configuration.NewStore(r.Client, r.Prefix, time.Hour), Client: d.Client,
			Studio: studioStore,
		}),
	})
	build := func() *handler.Server {
		srv := handler.New(schema)
		srv.AddTransport(transport.POST{})
		srv.SetQueryCache(lru.New[*ast.QueryDocument](100))
		srv.SetErrorPresenter(graph.ErrorPresenter(logger))
		srv.SetRecoverFunc(graph.RecoverFunc(logger))
		return srv
	}
	rig := &encoderRig{plain: build(), enc: graph.NewConfigurationEncoder(schema, 0)}
	fast := build()
	fast.Use(rig.enc)
	rig.fast = fast
	return rig
}

// post sends one GraphQL request to h and returns the response body.
func post(t *testing.T, h http.Handler, opName, query string, vars map[string]any) []byte {
	t.Helper()
	body, err := json.Marshal(map[string]any{
		"operationName": opName, "query": query, "variables": vars,
	})
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	return rec.Body.Bytes()
}

// spaOperation is one of the SPA's configure operations as its client sends it.
type spaOperation struct {
	OperationName string `json:"operationName"`
	Query         string `json:"query"`
}

func spaOperations(t *testing.T) map[string]spaOperation {
	t.Helper()
	raw, err := os.ReadFile("../tools/loadgen/spa_operations.json")
	require.NoError(t, err)
	var ops map[string]spaOperation
	require.NoError(t, json.Unmarshal(raw, &ops))
	return ops
}

// stepState is what the walk reads back from an answer.
type stepState struct {
	Data map[string]*struct {
		Configuration struct {
			ID      string `json:"id"`
			Version int    `json:"version"`
			Groups  []struct {
				Group struct {
					Key  string `json:"key"`
					Kind string `json:"kind"`
				} `json:"group"`
				Options []struct {
					Option struct {
						Key string `json:"key"`
					} `json:"option"`
					State string `json:"state"`
				} `json:"options"`
			} `json:"groups"`
		} `json:"configuration"`
	} `json:"data"`
}

func decodeStep(t *testing.T, body []byte) (id string, version int, st *stepState) {
	t.Helper()
	st = &stepState{}
	require.NoError(t, json.Unmarshal(body, st), string(body))
	require.Len(t, st.Data, 1, string(body))
	for _, p := range st.Data {
		require.NotNil(t, p, string(body))
		return p.Configuration.ID, p.Configuration.Version, st
	}
	return "", 0, nil
}

// TestConfigurationEncoderMatchesGqlgen walks two sessions through the same steps with the SPA's
// own operations, one answered by gqlgen alone and one through the encoder: the answers are the
// same bytes once the two session ids are swapped. Then it reads one session back with odd
// selections (aliases, fragments, __typename, @skip/@include, merged fields, errors) both ways.
func TestConfigurationEncoderMatchesGqlgen(t *testing.T) {
	t.Parallel()
	rig := newEncoderRig(t)
	ops := spaOperations(t)
	productID := func() string {
		var out struct {
			Data struct{ Product struct{ ID string } }
		}
		body := post(t, rig.plain, "", `query($s: String!) { product(slug: $s) { id } }`,
			map[string]any{"s": "heritage-sport"})
		require.NoError(t, json.Unmarshal(body, &out))
		return out.Data.Product.ID
	}()

	same := func(what string, plain, fast []byte, plainID, fastID string) {
		t.Helper()
		want := plain
		if plainID != "" {
			want = bytes.ReplaceAll(plain, []byte(`"`+plainID+`"`), []byte(`"`+fastID+`"`))
		}
		require.Equal(t, string(want), string(fast), what)
	}

	// Start a session both ways.
	start := ops["startConfiguration"]
	in := map[string]any{"input": map[string]any{"productId": productID, "quantity": 1}}
	served0, _ := rig.enc.Served()
	pb := post(t, rig.plain, start.OperationName, start.Query, in)
	fb := post(t, rig.fast, start.OperationName, start.Query, in)
	pid, pver, _ := decodeStep(t, pb)
	fid, fver, st := decodeStep(t, fb)
	require.NotEqual(t, pid, fid)
	same("startConfiguration", pb, fb, pid, fid)

	rng := rand.New(rand.NewPCG(19, 19))
	steps := map[string]int{}
	for i := range 40 {
		cfg := st.Data[firstKey(st.Data)].Configuration
		// The next step: an option of a random group, whatever its state (EXCLUDED ones are
		// refused, or resolved when resolveConflicts is set); every 9th step a reset.
		op, input := "resetConfiguration", map[string]any{}
		if i%9 != 8 {
			g := cfg.Groups[rng.IntN(len(cfg.Groups))]
			if len(g.Options) > 0 {
				o := g.Options[rng.IntN(len(g.Options))]
				op = "selectOption"
				input = map[string]any{"group": g.Group.Key, "option": o.Option.Key,
					"resolveConflicts": rng.IntN(2) == 0}
				if g.Group.Kind == "NUMBER" {
					op, input = "setNumber", map[string]any{"group": g.Group.Key,
						"value": mustAtoi(t, o.Option.Key), "resolveConflicts": true}
				}
			}
		}
		steps[op]++
		doc := ops[op]
		pin, fin := map[string]any{"version": pver}, map[string]any{"version": fver}
		for k, v := range input {
			pin[k], fin[k] = v, v
		}
		pin["configurationId"], fin["configurationId"] = pid, fid
		pb := post(t, rig.plain, doc.OperationName, doc.Query, map[string]any{"input": pin})
		fb := post(t, rig.fast, doc.OperationName, doc.Query, map[string]any{"input": fin})
		same(op, pb, fb, pid, fid)
		if bytes.Contains(pb, []byte(`"errors"`)) {
			continue
		}
		_, pver, _ = decodeStep(t, pb)
		_, fver, st = decodeStep(t, fb)
	}
	require.Positive(t, steps["selectOption"])
	require.Positive(t, steps["resetConfiguration"])
	served1, hits := rig.enc.Served()
	require.Greater(t, served1-served0, uint64(20), "the encoder answered the steps")
	require.Positive(t, hits, "some view parts came from the cache (resets)")

	// A destination: the arrival window, the shipping line and price, both ways; the encoded
	// price and leadTime of the same view differ from those without a destination.
	dest := ops["setDestination"]
	for _, country := range []string{"FR", "US", "FR"} {
		before, _ := rig.enc.Served()
		pb := post(t, rig.plain, dest.OperationName, dest.Query, map[string]any{"input": map[string]any{
			"configurationId": pid, "version": pver, "country": country}})
		fb := post(t, rig.fast, dest.OperationName, dest.Query, map[string]any{"input": map[string]any{
			"configurationId": fid, "version": fver, "country": country}})
		same("setDestination "+country, pb, fb, pid, fid)
		require.Contains(t, string(fb), `"arrivesLatest":"`)
		after, _ := rig.enc.Served()
		require.Greater(t, after, before, "setDestination is served by the encoder")
		_, pver, _ = decodeStep(t, pb)
		_, fver, _ = decodeStep(t, fb)
	}

	// The SPA's read of the session, then odd selections, both ways on the same session.
	read := ops["configuration"]
	same("configuration query",
		post(t, rig.plain, read.OperationName, read.Query, map[string]any{"id": fid}),
		post(t, rig.fast, read.OperationName, read.Query, map[string]any{"id": fid}), "", "")
	for _, c := range oddSelections {
		vars := map[string]any{"id": fid, "yes": true, "no": false}
		before, _ := rig.enc.Served()
		pb := post(t, rig.plain, "", c.query, vars)
		fb := post(t, rig.fast, "", c.query, vars)
		same(c.name, pb, fb, "", "")
		after, _ := rig.enc.Served()
		require.Equal(t, c.served, after > before, "%s: served by the encoder", c.name)
		require.NotContains(t, string(pb), `"errors"`, "%s: %s", c.name, pb)
	}

	// One field reached through a fragment in two places, merged with different selections.
	starts := func(h http.Handler) (string, string) {
		_, _, _ = decodeStep(t, post(t, h, start.OperationName, start.Query, in))
		a, _, _ := decodeStep(t, post(t, h, start.OperationName, start.Query, in))
		b, _, _ := decodeStep(t, post(t, h, start.OperationName, start.Query, in))
		return a, b
	}
	pa, pb2 := starts(rig.plain)
	fa, fb2 := starts(rig.fast)
	merged := `mutation($a: ResetConfigurationInput!, $b: ResetConfigurationInput!) {
		a: resetConfiguration(input: $a) { ...P configuration { version price { tier } } }
		b: resetConfiguration(input: $b) { ...P } }
		fragment P on ConfigurationPayload { configuration { id groups { none } } }`
	reset := func(a, b string) map[string]any {
		return map[string]any{"a": map[string]any{"configurationId": a, "version": 1},
			"b": map[string]any{"configurationId": b, "version": 1}}
	}
	pm := post(t, rig.plain, "", merged, reset(pa, pb2))
	fm := post(t, rig.fast, "", merged, reset(fa, fb2))
	pm = bytes.ReplaceAll(pm, []byte(`"`+pa+`"`), []byte(`"`+fa+`"`))
	same("fragment merged differently in two places", pm, fm, pb2, fb2)
	require.Contains(t, string(fm), `"tier":null`)

	// Errors are gqlgen's: unknown session, stale version.
	for _, c := range []struct{ name, query string }{
		{"unknown id", `query($id: ID!) { configuration(id: $id) { id groups { none } } }`},
		{"stale version", `mutation($id: ID!) { resetConfiguration(input: {configurationId: $id,` +
			` version: 0}) { configuration { id price { total { amount } } } } }`},
	} {
		vars := map[string]any{"id": "cfg_unknown"}
		if c.name == "stale version" {
			vars["id"] = fid
		}
		pb := post(t, rig.plain, "", c.query, vars)
		same(c.name, pb, post(t, rig.fast, "", c.query, vars), "", "")
		require.Contains(t, string(pb), `"errors"`, c.name)
	}
}

func firstKey[V any](m map[string]V) string {
	for k := range m {
		return k
	}
	return ""
}

// oddSelections are documents the SPA does not send; served says whether the encoder answers
// them (the rest are left to gqlgen, and must still come out the same).
var oddSelections = []struct {
	name, query string
	served      bool
}{
	{"aliases and __typename everywhere", `query($id: ID!) { c: configuration(id: $id) {
		__typename theId: id v: version version complete valid completions catalogVersion quantity
		notices __typename
		selections { __typename g: group option text }
		product { __typename id slug name description }
		gs: groups { __typename group { __typename id key k2: key name kind required minSelect
			maxSelect maxLength allowedCharacters numberMin numberMax numberStep unit previewRole
			options { __typename id key priceDelta { amount } } }
			none options { __typename st: state option { key name leadDays swatch previewAsset
			description id priceDelta { __typename amount currency } } priceDelta { currency }
			reasons { __typename message selections { group option text } } } }
		price { __typename unit { amount currency } quantity subtotal { amount } discount { amount }
			total { amount currency } lines { __typename label amount { amount currency } } tier
			tiers { __typename minQuantity discountBasisPoints } depositDue { amount }
			balanceDue { currency } }
		leadTime { __typename minBusinessDays maxBusinessDays shipsEarliest shipsLatest }
		preview { __typename svg layers { __typename group option asset tint z } } } }`, true},
	{"fragments, inline fragments and merged fields", `query($id: ID!) {
		configuration(id: $id) { ...A ... on Configuration { groups { options { state } } }
			groups { group { key } } price { ...P } }
		again: configuration(id: $id) { id groups { none } ... { version } } }
		fragment A on Configuration { id groups { group { name } ...G } price { total { amount } } }
		fragment G on ConfigurationGroup { none options { option { key } reasons { message } } }
		fragment P on Price { total { currency } tier }`, true},
	{"@skip and @include, literal and with variables", `query($id: ID!, $yes: Boolean!,
		$no: Boolean!) { configuration(id: $id) { id @skip(if: true) version @include(if: false)
		complete @skip(if: $no) valid @include(if: $no) groups @include(if: $yes) {
		group { key @skip(if: $yes) name } options @skip(if: $yes) { state } none }
		... on Configuration @include(if: $no) { notices } ...F @skip(if: $no) } }
		fragment F on Configuration { price { total { amount } } }`, true},
	{"product only", `query($id: ID!) { configuration(id: $id) { product { slug } } }`, true},
}

// A view's parts are cached the second time they are encoded: the step that made the view and
// the first read of it encode it, later reads take its parts from the cache, and every answer
// is the same.
func TestViewPartsAreCachedOnTheirSecondEncoding(t *testing.T) {
	t.Parallel()
	rig := newEncoderRig(t)
	ops := spaOperations(t)
	var product struct {
		Data struct{ Product struct{ ID string } }
	}
	require.NoError(t, json.Unmarshal(post(t, rig.plain, "",
		`query($s: String!) { product(slug: $s) { id } }`, map[string]any{"s": "atelier-dress"}),
		&product))
	start := ops["startConfiguration"]
	id, _, _ := decodeStep(t, post(t, rig.fast, start.OperationName, start.Query,
		map[string]any{"input": map[string]any{"productId": product.Data.Product.ID, "quantity": 2}}))
	require.NotEmpty(t, id)

	read := ops["configuration"]
	var answers []string
	var hits []uint64
	for range 3 {
		answers = append(answers, string(post(t, rig.fast, read.OperationName, read.Query,
			map[string]any{"id": id})))
		_, h := rig.enc.Served()
		hits = append(hits, h)
	}
	require.Equal(t, answers[0], answers[1])
	require.Equal(t, answers[0], answers[2])
	require.Zero(t, hits[0], "the first read encodes the view again (its second encoding)")
	require.Positive(t, hits[1], "the second read takes its parts from the cache")
	require.Equal(t, 2*hits[1], hits[2], "and so does the third, as many")
}
