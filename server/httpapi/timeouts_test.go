package httpapi_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// setQuantity makes a new version of configuration id (at version).
func setQuantity(t *testing.T, baseURL, id string, version, quantity int) {
	t.Helper()
	body, err := json.Marshal(map[string]any{
		"query": `mutation($id: ID!, $v: Int!, $q: Int!) {
			setQuantity(input: { configurationId: $id, version: $v, quantity: $q }) { configuration { id } } }`,
		"variables": map[string]any{"id": id, "v": version, "q": quantity},
	})
	require.NoError(t, err)
	_, r := post(t, baseURL, body)
	require.Empty(t, r.Errors)
}

func TestReadTimeoutCutsASlowBody(t *testing.T) {
	t.Parallel()
	_, url, _ := startApp(t, "-read-timeout", "300ms")
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = fmt.Fprint(conn, "POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"+
		"Content-Length: 100\r\n\r\n{\"query\":")
	require.NoError(t, err)
	// Never send the rest: the server must give up on the request and the connection.
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	start := time.Now()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err == nil {
		resp.Body.Close()
		assert.GreaterOrEqual(t, resp.StatusCode, 400)
	}
	assert.Less(t, time.Since(start), 4*time.Second, "cut by the read timeout, not the test deadline")
}

func TestStreamsOutliveReadAndWriteTimeouts(t *testing.T) {
	t.Parallel()
	_, url, _ := startApp(t, "-read-timeout", "300ms", "-write-timeout", "300ms")
	cfgID := startConfiguration(t, url)

	ws := dialWS(t, url, nil)
	first := ws.subscribe("1", cfgID)
	require.Equal(t, "next", first["type"])

	body, err := json.Marshal(map[string]any{
		"query":     `subscription($id: ID!) { configurationUpdated(id: $id) { version } }`,
		"variables": map[string]any{"id": cfgID},
	})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, url+"/query", strings.NewReader(string(body)))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	sse := bufio.NewReader(resp.Body)
	nextData := func() string {
		t.Helper()
		for {
			line, err := sse.ReadString('\n')
			require.NoError(t, err, "the SSE stream must stay open")
			if strings.HasPrefix(line, "data: ") {
				return line
			}
		}
	}
	assert.Contains(t, nextData(), `"version":1`)

	time.Sleep(time.Second) // well past both timeouts
	setQuantity(t, url, cfgID, 1, 2)
	assert.Contains(t, nextData(), `"version":2`, "SSE still delivers")
	m := ws.Next()
	assert.Equal(t, "next", m["type"], "the WebSocket still delivers: %v", m)
}
