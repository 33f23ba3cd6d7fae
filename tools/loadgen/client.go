package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/atelier/atelier/tools/internal/atelier"
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
	Errors []atelier.Error                    `json:"errors"`
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

// conflict reports whether err is a CONFLICT, and the current version it carries.
func conflict(err error) (int, bool) {
	var g *atelier.GraphQLError
	if errors.As(err, &g) && g.Code() == "CONFLICT" {
		v, _ := g.Errors[0].Extensions["currentVersion"].(float64)
		return int(v), true
	}
	return 0, false
}

// poster sends GraphQL requests and times the round trip; one per worker, not shared.
type poster struct {
	c   *atelier.Client
	buf bytes.Buffer
	// body is the last response body; valid until the next call.
	body []byte
}

func newPoster(client *http.Client, url string) *poster {
	return &poster{c: &atelier.Client{HTTP: client, URL: url}}
}

// post sends one pre-encoded request and reads the whole response. The latency covers writing
// the request to reading the last byte of the response; encoding and decoding JSON are outside
// it.
func (p *poster) post(ctx context.Context, reqBody []byte) (time.Duration, error) {
	elapsed, err := p.c.PostBody(ctx, "", reqBody, &p.buf)
	p.body = p.buf.Bytes()
	return elapsed, err
}

// do runs one GraphQL operation and decodes it into out.
func (p *poster) do(ctx context.Context, op string, vars map[string]any, out *stepResponse,
) (time.Duration, error) {
	q := queries[op]
	body, err := json.Marshal(atelier.Request{OperationName: q.OperationName, Query: q.Query,
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
		return elapsed, &atelier.GraphQLError{Status: http.StatusOK, Errors: out.Errors}
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
	var out struct {
		Product *struct {
			ID           string         `json:"id"`
			OptionGroups []catalogGroup `json:"optionGroups"`
		} `json:"product"`
	}
	c := &atelier.Client{HTTP: client, URL: url}
	if err := c.Post(ctx, "", productQuery, map[string]any{"slug": slug}, &out); err != nil {
		return nil, fmt.Errorf("querying product %q: %w", slug, err)
	}
	if out.Product == nil {
		return nil, fmt.Errorf("product %q not found", slug)
	}
	p := &product{ID: out.Product.ID, Groups: map[string]catalogGroup{}}
	for _, g := range out.Product.OptionGroups {
		p.Groups[g.Key] = g
	}
	return p, nil
}

// numberValue parses a NUMBER group's option key (its value).
func numberValue(key string) (int, bool) {
	v, err := strconv.Atoi(key)
	return v, err == nil
}
