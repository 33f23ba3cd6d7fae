package atelier

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Client posts GraphQL operations to one endpoint. It holds no per-request state: share it.
type Client struct {
	// HTTP does the requests; its Transport decides connection reuse.
	HTTP *http.Client
	// URL is the GraphQL endpoint, e.g. http://127.0.0.1:41234/query.
	URL string
}

// Request is a GraphQL request body.
type Request struct {
	OperationName string         `json:"operationName,omitempty"`
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables,omitempty"`
}

// Error is one GraphQL error of a response.
type Error struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// Code is the error's extensions.code, or "".
func (e Error) Code() string {
	c, _ := e.Extensions["code"].(string)
	return c
}

// HTTPError is a response that is not 200 OK and carries no GraphQL errors.
type HTTPError struct {
	Status int
	// Body is the start of the response body.
	Body string
}

func (e *HTTPError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.Status, e.Body) }

// GraphQLError is a response that carried GraphQL errors; Errors has at least one.
type GraphQLError struct {
	// Status is the response's HTTP status (gqlgen answers 422 to documents it rejects).
	Status int
	Errors []Error
}

// Error is the first error's code and message.
func (e *GraphQLError) Error() string {
	first := e.Errors[0]
	if code := first.Code(); code != "" {
		return code + ": " + first.Message
	}
	return first.Message
}

// Code is the first error's extensions.code, or "".
func (e *GraphQLError) Code() string { return e.Errors[0].Code() }

// PostBody sends a pre-encoded request body with an optional bearer token and reads the whole
// response into buf (reset first). The duration runs from sending the request to reading the
// last byte of the response. A status other than 200 is an *HTTPError, with the body still in
// buf.
func (c *Client) PostBody(ctx context.Context, token string, body []byte, buf *bytes.Buffer,
) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("building request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	start := time.Now()
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, err
	}
	buf.Reset()
	_, err = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	elapsed := time.Since(start)
	if err != nil {
		return elapsed, fmt.Errorf("reading response: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return elapsed, &HTTPError{Status: resp.StatusCode, Body: Truncate(buf.String(), 200)}
	}
	return elapsed, nil
}

// Post runs one GraphQL operation with an optional bearer token and decodes its data into out
// (unless out is nil). A response with errors is a *GraphQLError, whatever its status; any
// other status than 200 is an *HTTPError.
func (c *Client) Post(ctx context.Context, token, query string, vars map[string]any, out any,
) error {
	return c.Do(ctx, token, Request{Query: query, Variables: vars}, out)
}

// Do is Post with a whole Request (an operation name, for one).
func (c *Client) Do(ctx context.Context, token string, r Request, out any) error {
	body, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encoding request: %w", err)
	}
	var buf bytes.Buffer
	_, err = c.PostBody(ctx, token, body, &buf)
	httpErr, isHTTP := err.(*HTTPError)
	if err != nil && !isHTTP {
		return err
	}
	var resp struct {
		Data   json.RawMessage `json:"data"`
		Errors []Error         `json:"errors"`
	}
	if jerr := json.Unmarshal(buf.Bytes(), &resp); jerr != nil {
		if isHTTP {
			return httpErr
		}
		return fmt.Errorf("decoding response: %w", jerr)
	}
	if len(resp.Errors) > 0 {
		status := http.StatusOK
		if isHTTP {
			status = httpErr.Status
		}
		return &GraphQLError{Status: status, Errors: resp.Errors}
	}
	if isHTTP {
		return httpErr
	}
	if out != nil {
		if err := json.Unmarshal(resp.Data, out); err != nil {
			return fmt.Errorf("decoding data: %w", err)
		}
	}
	return nil
}

// Truncate shortens s to n bytes, marking the cut with "…".
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
