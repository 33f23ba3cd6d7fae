package auth

import "context"

type clientAddrKey struct{}

// WithClientAddr returns ctx carrying the client address (set by the HTTP layer).
func WithClientAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientAddrKey{}, addr)
}

// ClientAddr returns the client address of the request in ctx: the key per-client limits use.
// It is "" for a request that no per-client limit applies to: one from an exempt address, or
// one that did not come over the network (an in-process caller).
func ClientAddr(ctx context.Context) string {
	a, _ := ctx.Value(clientAddrKey{}).(string)
	return a
}
