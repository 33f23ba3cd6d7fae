package httpapi

import (
	"errors"
	"net"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/gqlws"
)

func mustCIDR(t *testing.T, s string) *net.IPNet {
	t.Helper()
	_, n, err := net.ParseCIDR(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestClientIP(t *testing.T) {
	t.Parallel()
	p := proxies{mustCIDR(t, "10.0.0.0/8")}
	tests := []struct {
		name, remote, xff, want string
	}{
		{"direct", "203.0.113.9:5000", "", "203.0.113.9"},
		{"untrusted peer's header is ignored", "203.0.113.9:5000", "198.51.100.1", "203.0.113.9"},
		{"trusted proxy", "10.1.2.3:5000", "198.51.100.1", "198.51.100.1"},
		{"spoofed left part is skipped", "10.1.2.3:5000", "1.2.3.4, 198.51.100.1", "198.51.100.1"},
		{"chain of trusted proxies", "10.1.2.3:5000", "198.51.100.1, 10.9.9.9", "198.51.100.1"},
		{"garbage ends the walk", "10.1.2.3:5000", "nonsense", "10.1.2.3"},
		{"no peer address", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &http.Request{RemoteAddr: tt.remote, Header: http.Header{}}
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			assert.Equal(t, tt.want, clientKey(p.clientIP(r)))
		})
	}
}

func TestClientKeyGroupsIPv6By64(t *testing.T) {
	t.Parallel()
	a := clientKey(net.ParseIP("2001:db8:1:2:aaaa::1"))
	b := clientKey(net.ParseIP("2001:db8:1:2:bbbb::2"))
	assert.Equal(t, a, b)
	assert.Equal(t, "2001:db8:1:2::/64", a)
	assert.NotEqual(t, a, clientKey(net.ParseIP("2001:db8:1:3::1")))
}

func TestInitCloseCode(t *testing.T) {
	code, reason := initCloseCode(fault.Wrap(fault.Unavailable, errors.New("db down"), "cannot check credentials right now"))
	assert.Equal(t, gqlws.CloseTryAgainLater, code, "the SPA retries: the credentials may be fine")
	assert.Contains(t, reason, "Try again later")
	code, reason = initCloseCode(errors.New("token not accepted"))
	assert.Equal(t, gqlws.CloseForbidden, code, "the SPA gives up: the same token cannot succeed")
	assert.Equal(t, "Forbidden: token not accepted", reason)
}
