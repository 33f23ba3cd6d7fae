package testutil

import (
	"fmt"
	"net/http"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A server whose port was taken between FreePort and its bind exits; startService starts it
// again on fresh ports instead of waiting for an address it will never listen on. The port is
// held the way an outgoing connection holds its local port: bound, not listening, so nothing
// answers on it.
func TestStartServiceRetriesOnAPortTakenMeanwhile(t *testing.T) {
	bin := filepath.Join(TestBin(t), "mailpit")
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	require.NoError(t, err)
	defer syscall.Close(fd)
	require.NoError(t, syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}))
	sa, err := syscall.Getsockname(fd)
	require.NoError(t, err)
	taken := fmt.Sprintf("127.0.0.1:%d", sa.(*syscall.SockaddrInet4).Port)

	var tries []string
	api := startService(t, bin, nil, func() (string, []string) {
		api := fmt.Sprintf("127.0.0.1:%d", FreePort(t))
		if len(tries) == 0 {
			api = taken
		}
		tries = append(tries, api)
		return api, []string{"--smtp", fmt.Sprintf("127.0.0.1:%d", FreePort(t)), "--listen", api,
			"--database", filepath.Join(t.TempDir(), "mailpit.db"), "--quiet"}
	})
	require.Len(t, tries, 2, "the first try's port was taken: %v", tries)
	assert.Equal(t, tries[1], api)
	resp, err := http.Get("http://" + api + "/api/v1/messages")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}
