package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atelier/atelier/server/app"
	"github.com/atelier/atelier/server/config"
)

// FuzzGraphQLRequestBody sends raw bodies to the real /query handler: whatever arrives, the
// answer is JSON, never a 5xx and never an internal error (which would mean a panic or an
// unmapped failure reached the client).
func FuzzGraphQLRequestBody(f *testing.F) {
	for _, seed := range []string{
		`{"query":"{ products { totalCount } }"}`,
		`{"query":"mutation { startConfiguration(input: {productId: \"1\"}) { configuration { id } } }"}`,
		`{"query":"query($id: ID!) { configuration(id: $id) { id } }","variables":{"id":"cfg_x"}}`,
		`{"query":"mutation($in: SelectOptionInput!) { selectOption(input: $in) { changes { group } } }","variables":{"in":{"configurationId":"cfg_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","version":1,"group":"leather","option":"calf"}}}`,
		`{"query":"{ node(id: \"-1\") { id } }"}`,
		`[{"query":"{ __typename }"}]`,
		`{"query":`,
		`{"query":"{ product(slug: \"heritage-sport\") { optionGroups { options { priceDelta { amount } } } } }"}`,
		`{"query":"{ order(id: \"99999999999999999999\") { id } }"}`,
	} {
		f.Add([]byte(seed))
	}
	dir := f.TempDir()
	cfg, err := config.Load([]string{"-web-dir", dir}, func(k string) (string, bool) {
		if k == "DATABASE_URL" {
			return "file:" + filepath.Join(dir, "fuzz.db"), true
		}
		return "", false
	}, io.Discard)
	if err != nil {
		f.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/query", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		a.HTTP.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("not JSON for %q: %s", body, rec.Body)
		}
		if strings.Contains(rec.Body.String(), `"INTERNAL"`) {
			t.Fatalf("internal error for %q: %s", body, rec.Body)
		}
	})
}
