package graph

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/respbuf"
)

func TestAnswerWritesIntoTheRequestsBuffer(t *testing.T) {
	// Not parallel: respbuf.Poison is global.
	was := respbuf.Poison.Swap(true)
	defer respbuf.Poison.Store(was)
	parts := spliced{encodedJSON(`{"id":"c1","groups":`), encodedJSON(`[1,2,3]`), encodedJSON(`}`)}
	const want = `{"result":{"id":"c1","groups":[1,2,3]}`

	// Without a scope (another transport): gqlgen's buffer grows as usual.
	var plain bytes.Buffer
	plain.WriteString(`{"result":`)
	answer{parts: parts}.MarshalGQL(&plain)
	assert.Equal(t, want, plain.String())

	// With one: what gqlgen wrote so far moves into a buffer lent by the request, which the
	// transport takes back after writing the response.
	_, scope := respbuf.With(context.Background())
	var buf bytes.Buffer
	buf.WriteString(`{"result":`)
	answer{parts: parts, scope: scope}.MarshalGQL(&buf)
	got := buf.Bytes()
	require.Equal(t, want, string(got))
	assert.GreaterOrEqual(t, buf.Cap(), len(want)+splicedSlack, "room made for every part")
	scope.Release()
	assert.Equal(t, byte(0xff), got[0], "the answer was in the lent buffer, now taken back")
}
