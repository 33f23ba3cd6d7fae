package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/atelier/atelier/server/respbuf"
)

// post is gqlgen's POST transport (transport.POST with its defaults: the same requests, headers,
// status codes and response bytes) except for how the response is written, and that the
// buffers it is encoded into may be borrowed from the request (respbuf). gqlgen's writes it
// with json.Marshal, which validates and re-compacts the data gqlgen has already encoded: for a
// configure step's ~27 KB answer that scan was ~17 % of the step's CPU. appendResponse copies
// the encoded data instead, escaping only what json.Marshal escapes in it (<, >, & and U+2028/
// U+2029); the other members are still encoded by json.Marshal. The parameters are those
// limitBody decoded when it checked the body (decodedParams), read and decoded here otherwise.
//
// With CheckResponses set (server/testutil sets it in every test binary that starts the
// application) every response is also encoded by json.Marshal and the two are compared, so that
// every test of the API checks that the bytes are the ones gqlgen would have written.
type post struct {
	transport.POST
}

var _ graphql.Transport = post{}

const (
	contentTypeJSON            = "application/json"
	contentTypeGraphQLResponse = "application/graphql-response+json"
)

// responseContentType is gqlgen's choice between application/json and
// application/graphql-response+json from the Accept header (first acceptable entry wins; none
// means graphql-response+json; no header means application/json).
func responseContentType(accept string) string {
	if accept == "" {
		return contentTypeJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mediaType {
		case "*/*", "application/*", contentTypeJSON:
			return contentTypeJSON
		case contentTypeGraphQLResponse:
			return contentTypeGraphQLResponse
		}
	}
	return contentTypeGraphQLResponse
}

// Do serves one POST request as transport.POST does.
func (post) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	contentType := responseContentType(r.Header.Get("Accept"))
	w.Header().Add("Content-Type", contentType)
	start := graphql.Now()
	var params graphql.RawParams
	if decoded, ok := decodedParams(r); ok {
		params = *decoded
	} else if !readParams(w, r, exec, &params) {
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	rc, opErr := exec.CreateOperationContext(ctx, &params)
	if opErr != nil {
		if errcode.GetErrorKind(opErr) == errcode.KindProtocol {
			if contentType == contentTypeGraphQLResponse {
				w.WriteHeader(http.StatusBadRequest)
			} else {
				w.WriteHeader(http.StatusUnprocessableEntity)
			}
		}
		writeResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, rc), opErr))
		return
	}
	// The buffers the answer is encoded into are lent for this request only (respbuf): the
	// response, which points into them, is written before they are taken back.
	ctx, buffers := respbuf.With(ctx)
	responses, ctx := exec.DispatchOperation(ctx, rc)
	writeResponse(w, responses(ctx))
	buffers.Release()
}

// readParams reads and decodes the body as transport.POST does; false when it has answered
// the request with the error. Behind limitBody, which has decoded every JSON body already
// (decodedParams), it serves only handlers without it.
func readParams(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor,
	params *graphql.RawParams,
) bool {
	ctx := r.Context()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeResponse(w, exec.DispatchError(ctx, gqlerror.List{
			gqlerror.Errorf("could not read request body: %+v", err)}))
		return false
	}
	if !decodeParams(body, params) {
		if err := decodeParamsSlowly(body, params); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			writeResponse(w, exec.DispatchError(ctx, gqlerror.List{gqlerror.Errorf(
				"json request body could not be decoded: %+v body:%s", err, string(body))}))
			return false
		}
	}
	return true
}

// decodeParamsSlowly decodes a request body as gqlgen's POST transport does.
func decodeParamsSlowly(body []byte, p *graphql.RawParams) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	return dec.Decode(p)
}

// responseBuffers recycles response buffers; one bigger than maxPooledResponse is dropped.
var responseBuffers = sync.Pool{New: func() any { return new([]byte) }}

const maxPooledResponse = 1 << 20

// writeResponse writes response as json.Marshal would (transport.POST's writeJson).
func writeResponse(w io.Writer, response *graphql.Response) {
	bp := responseBuffers.Get().(*[]byte)
	b, err := appendResponse((*bp)[:0], response)
	if err != nil {
		// What writeJson does with a response json.Marshal refuses.
		panic(fmt.Errorf("unable to marshal %s: %w", string(response.Data), err))
	}
	if CheckResponses.Load() {
		checkResponse(b, response)
	}
	_, _ = w.Write(b)
	if cap(b) <= maxPooledResponse {
		*bp = b
		responseBuffers.Put(bp)
	}
}

// CheckResponses makes writeResponse compare its bytes with json.Marshal's and panic on a
// difference: for tests, never set in production (it doubles the cost of writing a response).
var CheckResponses atomic.Bool

func checkResponse(got []byte, response *graphql.Response) {
	want, err := json.Marshal(response)
	if err != nil {
		panic(fmt.Errorf("httpapi: json.Marshal refuses a response appendResponse wrote: %w", err))
	}
	if !bytes.Equal(got, want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		panic(fmt.Sprintf("httpapi: the response differs from json.Marshal's at byte %d:\n"+
			"appendResponse: %.200s\njson.Marshal:   %.200s", i, got[i:], want[i:]))
	}
}

// appendResponse appends response encoded as json.Marshal encodes it, when its members are
// errors, data and extensions (the others, used by incremental delivery, go through
// json.Marshal). Data must be compact JSON, as gqlgen's marshalers write it.
func appendResponse(dst []byte, response *graphql.Response) ([]byte, error) {
	if response.Label != "" || response.Path != nil || response.HasNext != nil {
		b, err := json.Marshal(response)
		return append(dst, b...), err
	}
	dst = append(dst, '{')
	if len(response.Errors) > 0 {
		b, err := json.Marshal(response.Errors)
		if err != nil {
			return dst, err
		}
		dst = append(dst, `"errors":`...)
		dst = append(dst, b...)
		dst = append(dst, ',')
	}
	dst = append(dst, `"data":`...)
	if response.Data == nil {
		dst = append(dst, "null"...)
	} else {
		dst = appendHTMLEscaped(dst, response.Data)
	}
	if len(response.Extensions) > 0 {
		b, err := json.Marshal(response.Extensions)
		if err != nil {
			return dst, err
		}
		dst = append(dst, `,"extensions":`...)
		dst = append(dst, b...)
	}
	return append(dst, '}'), nil
}

// appendHTMLEscaped appends compact JSON src with <, >, & and U+2028, U+2029 escaped as
// json.Marshal escapes them (they can only occur inside strings).
func appendHTMLEscaped(dst, src []byte) []byte {
	const hex = "0123456789abcdef"
	start := 0
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '<' || c == '>' || c == '&':
			dst = append(dst, src[start:i]...)
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			start = i + 1
		case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && src[i+2]&^1 == 0xA8:
			// U+2028 is E2 80 A8, U+2029 is E2 80 A9.
			dst = append(dst, src[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[src[i+2]&0xF])
			i += 2
			start = i + 1
		}
	}
	return append(dst, src[start:]...)
}
