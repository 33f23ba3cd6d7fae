package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// spaOperations are the SPA's own configure operations exactly as its GraphQL client sends
// them (query text and operation name), kept equal to web-client's documents by the web client's
// test src/features/configurator/loadgenOperations.test.ts. Keyed by the root field.
//
//go:embed spa_operations.json
var spaOperations []byte

// Operation names (the root field of each SPA operation), also the keys of the per-operation
// counts.
const (
	opStart  = "startConfiguration"
	opSelect = "selectOption"
	opNumber = "setNumber"
	opReset  = "resetConfiguration"
	opRead   = "configuration"
)

// operation is one GraphQL document to send.
type operation struct {
	OperationName string `json:"operationName"`
	Query         string `json:"query"`
}

// queries holds the SPA operation of each root field, read once.
var queries = mustOperations(spaOperations, opStart, opSelect, opNumber, opReset, opRead)

func mustOperations(raw []byte, want ...string) map[string]operation {
	var ops map[string]operation
	if err := json.Unmarshal(raw, &ops); err != nil {
		panic(fmt.Sprintf("spa_operations.json: %v", err))
	}
	for _, op := range want {
		if ops[op].Query == "" {
			panic(fmt.Sprintf("spa_operations.json: no %s operation", op))
		}
	}
	return ops
}

const productQuery = `query Product($slug: String!) {
  product(slug: $slug) {
    id
    optionGroups { key kind required options { key } numberMin numberMax numberStep }
  }
}`

type gqlRequest struct {
	OperationName string         `json:"operationName,omitempty"`
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables,omitempty"`
}

// gqlError is one GraphQL error; only what the load generator needs.
type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code           string `json:"code"`
		CurrentVersion int    `json:"currentVersion"`
	} `json:"extensions"`
}

// configuration is the part of a Configuration a virtual customer decides with.
type configuration struct {
	ID       string `json:"id"`
	Version  int    `json:"version"`
	Complete bool   `json:"complete"`
	Groups   []struct {
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
}

// stepResponse decodes the response of any operation: data holds exactly one entry, the root
// field (under its alias: the SPA's mutations answer as "result").
type stepResponse struct {
	Data   map[string]*configurationOrPayload `json:"data"`
	Errors []gqlError                         `json:"errors"`
}

// configurationOrPayload is a ConfigurationPayload or a Configuration.
type configurationOrPayload struct {
	configuration
	Configuration *configuration `json:"configuration"`
}

// config returns the configuration in a payload, or a configuration query's result.
func (r *stepResponse) config() *configuration {
	if len(r.Data) != 1 {
		return nil
	}
	var d *configurationOrPayload
	for _, v := range r.Data {
		d = v
	}
	if d == nil {
		return nil
	}
	if d.Configuration != nil {
		return d.Configuration
	}
	if d.ID != "" {
		return &d.configuration
	}
	return nil
}

// httpError is a non-200 response.
type httpError struct {
	status int
	body   string
}

func (e *httpError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.status, e.body) }

// graphqlError is a response carrying GraphQL errors.
type graphqlError struct{ errs []gqlError }

func (e *graphqlError) Error() string {
	first := e.errs[0]
	if first.Extensions.Code != "" {
		return first.Extensions.Code + ": " + first.Message
	}
	return first.Message
}

// conflict reports whether err is a CONFLICT, and the current version it carries.
func conflict(err error) (int, bool) {
	var g *graphqlError
	if errors.As(err, &g) && g.errs[0].Extensions.Code == "CONFLICT" {
		return g.errs[0].Extensions.CurrentVersion, true
	}
	return 0, false
}

// poster sends GraphQL requests and times the round trip; one per worker, not shared.
type poster struct {
	client *http.Client
	url    string
	buf    bytes.Buffer
	// body is the last response body; valid until the next call.
	body []byte
}

// post sends one request and reads the whole response. The latency covers writing the request
// to reading the last byte of the response; encoding and decoding JSON are outside it.
func (p *poster) post(ctx context.Context, reqBody []byte) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(reqBody))
	if err != nil {
		return 0, fmt.Errorf("building request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	start := time.Now()
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, err
	}
	p.buf.Reset()
	_, err = p.buf.ReadFrom(resp.Body)
	resp.Body.Close()
	elapsed := time.Since(start)
	if err != nil {
		return elapsed, fmt.Errorf("reading response: %w", err)
	}
	p.body = p.buf.Bytes()
	if resp.StatusCode != http.StatusOK {
		return elapsed, &httpError{status: resp.StatusCode, body: truncate(string(p.body), 200)}
	}
	return elapsed, nil
}

// do runs one GraphQL operation and decodes it into out.
func (p *poster) do(ctx context.Context, op string, vars map[string]any, out *stepResponse,
) (time.Duration, error) {
	q := queries[op]
	body, err := json.Marshal(gqlRequest{OperationName: q.OperationName, Query: q.Query,
		Variables: vars})
	if err != nil {
		return 0, fmt.Errorf("encoding request: %w", err)
	}
	elapsed, err := p.post(ctx, body)
	if err != nil {
		return elapsed, err
	}
	*out = stepResponse{}
	if err := json.Unmarshal(p.body, out); err != nil {
		return elapsed, fmt.Errorf("decoding response: %w", err)
	}
	if len(out.Errors) > 0 {
		return elapsed, &graphqlError{errs: out.Errors}
	}
	if out.config() == nil {
		return elapsed, fmt.Errorf("%s: response without a configuration", op)
	}
	return elapsed, nil
}

// catalogGroup is a product's option group as the catalog query returns it.
type catalogGroup struct {
	Key       string `json:"key"`
	Kind      string `json:"kind"`
	NumberMin int    `json:"numberMin"`
	NumberMax int    `json:"numberMax"`
	Step      int    `json:"numberStep"`
}

// product is the configured product.
type product struct {
	ID     string
	Groups map[string]catalogGroup
}

// fetchProduct reads the product's id and groups.
func fetchProduct(ctx context.Context, client *http.Client, url, slug string) (*product, error) {
	body, err := json.Marshal(gqlRequest{Query: productQuery, Variables: map[string]any{"slug": slug}})
	if err != nil {
		return nil, fmt.Errorf("encoding product query: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("building product query: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("querying product %q: %w", slug, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("reading product %q: %w", slug, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("querying product %q: HTTP %d: %s", slug, resp.StatusCode,
			truncate(string(raw), 200))
	}
	var out struct {
		Data struct {
			Product *struct {
				ID           string         `json:"id"`
				OptionGroups []catalogGroup `json:"optionGroups"`
			} `json:"product"`
		} `json:"data"`
		Errors []gqlError `json:"errors"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("decoding product %q: %w", slug, err)
	}
	if len(out.Errors) > 0 {
		return nil, fmt.Errorf("querying product %q: %w", slug, &graphqlError{errs: out.Errors})
	}
	if out.Data.Product == nil {
		return nil, fmt.Errorf("product %q not found", slug)
	}
	p := &product{ID: out.Data.Product.ID, Groups: map[string]catalogGroup{}}
	for _, g := range out.Data.Product.OptionGroups {
		p.Groups[g.Key] = g
	}
	return p, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// numberValue parses a NUMBER group's option key (its value).
func numberValue(key string) (int, bool) {
	v, err := strconv.Atoi(key)
	return v, err == nil
}
