package httpapi

import (
	"net"
	"net/http"
	"strings"

	"github.com/atelier/atelier/server/auth"
)

// proxies is a set of networks: the trusted proxies, or the exempt clients.
type proxies []*net.IPNet

// trusted reports whether ip is in the set.
func (p proxies) trusted(ip net.IP) bool {
	for _, n := range p {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// clientIP is the TCP peer, or, when the peer is a trusted proxy, the right-most address of
// X-Forwarded-For that is not itself a trusted proxy (the left part of the header is whatever
// the client wrote, so it is never believed). Nil when the peer has no IP address.
func (p proxies) clientIP(r *http.Request) net.IP {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer := net.ParseIP(host)
	if peer == nil || !p.trusted(peer) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		ip := net.ParseIP(strings.TrimSpace(hops[i]))
		if ip == nil {
			break
		}
		client = ip
		if !p.trusted(ip) {
			break
		}
	}
	return client
}

// secure reports whether the client reached us over TLS: directly, or through a trusted proxy
// that says so.
func (p proxies) secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	peer := net.ParseIP(host)
	return peer != nil && p.trusted(peer) &&
		strings.EqualFold(strings.TrimSpace(r.Header.Get("X-Forwarded-Proto")), "https")
}

// clientKey is the key per-client limits count under: the IPv4 address, or the /64 network of
// an IPv6 address (one subscriber usually holds a whole /64, so single addresses are free to
// rotate).
func clientKey(ip net.IP) string {
	if ip == nil {
		return ""
	}
	if ip4 := ip.To4(); ip4 != nil {
		return ip4.String()
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// clientAddress puts the client address in the request context ("" for an exempt one).
func (p proxies) clientAddress(exempt proxies, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := p.clientIP(r)
		key := ""
		if ip != nil && !exempt.trusted(ip) {
			key = clientKey(ip)
		}
		next.ServeHTTP(w, r.WithContext(auth.WithClientAddr(r.Context(), key)))
	})
}
