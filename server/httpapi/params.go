package httpapi

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
)

// decodeParams fills p from a request body exactly as json.Decoder with UseNumber does (gqlgen's
// POST transport), for the shape every client sends: one object whose members are "query" and
// "operationName" (strings or null) and "variables" and "extensions" (objects or null), each at
// most once, with strings that escape nothing but the two-character escapes. It reports false,
// having set nothing the caller keeps, for anything else: the caller then decodes with
// json.Decoder, which gives its own result or error. The SPA's configure document is ~3 KB of
// text with a newline escape on every line; json.Decoder spent ~5 % of a step scanning and
// unquoting it.
func decodeParams(body []byte, p *graphql.RawParams) bool {
	var out graphql.RawParams
	d := paramsDecoder{b: body}
	if !d.byte('{') {
		return false
	}
	var seen [4]bool
	if d.skipSpace(); d.peek() == '}' {
		*p = out
		return true
	}
	for {
		d.skipSpace()
		name, ok := d.plainString(nil)
		if !ok || !d.byte(':') {
			return false
		}
		member := -1
		switch name {
		case "query":
			member = 0
			out.Query, ok = d.optString(&queryTexts)
		case "operationName":
			member = 1
			out.OperationName, ok = d.optString(nil)
		case "variables":
			member = 2
			out.Variables, ok = d.optObject()
		case "extensions":
			member = 3
			out.Extensions, ok = d.optObject()
		}
		if member < 0 || !ok || seen[member] {
			return false
		}
		seen[member] = true
		d.skipSpace()
		switch d.next() {
		case ',':
			continue
		case '}':
			*p = out
			return true
		default:
			return false
		}
	}
}

// paramsDecoder reads a request body.
type paramsDecoder struct {
	b []byte
	i int
}

func (d *paramsDecoder) skipSpace() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *paramsDecoder) peek() byte {
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

func (d *paramsDecoder) next() byte {
	c := d.peek()
	d.i++
	return c
}

// byte skips space and then c.
func (d *paramsDecoder) byte(c byte) bool {
	d.skipSpace()
	return d.next() == c
}

// null skips a null literal.
func (d *paramsDecoder) null() bool {
	if bytes.HasPrefix(d.b[d.i:], []byte("null")) {
		d.i += 4
		return true
	}
	return false
}

// optString reads a string or null (""), through texts when it is not nil.
func (d *paramsDecoder) optString(texts *internedTexts) (string, bool) {
	d.skipSpace()
	if d.peek() == 'n' {
		return "", d.null()
	}
	return d.plainString(texts)
}

// plainString reads a string with the escapes \" \\ \/ \b \f \n \r \t only, in valid UTF-8:
// one pass to find its end and check it, one to unescape into a string of the right size.
func (d *paramsDecoder) plainString(texts *internedTexts) (string, bool) {
	if d.next() != '"' {
		return "", false
	}
	start, escapes, ascii := d.i, 0, true
	for ; d.i < len(d.b) && d.b[d.i] != '"'; d.i++ {
		switch c := d.b[d.i]; {
		case c == '\\':
			if d.i+1 >= len(d.b) || unescape(d.b[d.i+1]) == 0 {
				return "", false
			}
			escapes++
			d.i++
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	if d.i >= len(d.b) {
		return "", false
	}
	raw := d.b[start:d.i]
	d.i++ // the closing quote
	if !ascii && !utf8.Valid(raw) {
		return "", false
	}
	if texts != nil {
		if s, ok := texts.get(raw); ok {
			return s, true
		}
	}
	s := unquote(raw, escapes)
	if texts != nil {
		texts.add(raw, s)
	}
	return s, true
}

// unquote decodes raw, the checked content of a JSON string (without its quotes) holding
// escapes two-character escapes.
func unquote(raw []byte, escapes int) string {
	if escapes == 0 {
		return string(raw)
	}
	var s strings.Builder
	s.Grow(len(raw) - escapes)
	for i := 0; i < len(raw); i++ {
		if raw[i] == '\\' {
			i++
			s.WriteByte(unescape(raw[i]))
			continue
		}
		s.WriteByte(raw[i])
	}
	return s.String()
}

// queryTexts are the query texts decoded lately: the SPA sends the same few documents on
// every step, and each was a 3 KB string to allocate and unescape again.
var queryTexts = internedTexts{max: 256, maxLen: 16 << 10}

// internedTexts maps JSON string contents (as sent, escapes included) to their decoded text. It
// holds at most max texts of at most maxLen bytes and forgets them all when full, so a client
// sending ever new documents costs it nothing but their turnover.
type internedTexts struct {
	mu          sync.RWMutex
	texts       map[string]string
	max, maxLen int
}

func (t *internedTexts) get(raw []byte) (string, bool) {
	t.mu.RLock()
	s, ok := t.texts[string(raw)]
	t.mu.RUnlock()
	return s, ok
}

func (t *internedTexts) add(raw []byte, s string) {
	if len(raw) > t.maxLen {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.texts == nil || len(t.texts) >= t.max {
		t.texts = make(map[string]string, t.max)
	}
	t.texts[string(raw)] = s
}

// unescape is the character of a two-character escape \c, 0 when c starts no such escape.
func unescape(c byte) byte {
	switch c {
	case '"', '\\', '/':
		return c
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	}
	return 0
}

// optObject reads an object (decoded by json.Decoder with UseNumber) or null (nil).
func (d *paramsDecoder) optObject() (map[string]any, bool) {
	d.skipSpace()
	if d.peek() == 'n' {
		return nil, d.null()
	}
	if d.peek() != '{' {
		return nil, false
	}
	start := d.i
	depth := 0
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		case '"':
			// Skip the string: to its closing quote, past escaped characters.
			for d.i++; d.i < len(d.b) && d.b[d.i] != '"'; d.i++ {
				if d.b[d.i] == '\\' {
					d.i++
				}
			}
		}
		d.i++
		if depth == 0 {
			var m map[string]any
			dec := json.NewDecoder(bytes.NewReader(d.b[start:d.i]))
			dec.UseNumber()
			if err := dec.Decode(&m); err != nil {
				return nil, false
			}
			return m, true
		}
	}
	return nil, false
}
