// Package live is where a transport that can deliver a subscription's results itself meets the
// code that serves them without gqlgen's executor. A transport puts an Offer and a Lifetime in
// an operation's context; a gqlgen operation interceptor (graph.Direct) takes the offer or
// leaves the operation to gqlgen. Neither side imports the other: both import this package.
package live

import "context"

// Offer is a transport's offer to an operation: results may be sent as encoded `next`
// payloads ({"data":…}) instead of through gqlgen's response handler. A transport makes it only
// for subscriptions.
type Offer struct {
	send  func(payload []byte)
	taken bool
}

type offerKey struct{}

type lifetimeKey struct{}

// WithOffer returns ctx carrying an offer whose results go to send. send may be called from one
// goroutine at a time until the operation ends; it never blocks.
func WithOffer(ctx context.Context, send func(payload []byte)) (context.Context, *Offer) {
	o := &Offer{send: send}
	return context.WithValue(ctx, offerKey{}, o), o
}

// OfferFrom returns the offer in ctx, or nil outside a transport that makes one.
func OfferFrom(ctx context.Context) *Offer {
	o, _ := ctx.Value(offerKey{}).(*Offer)
	return o
}

// Send sends one result, the JSON payload of a `next` message ({"data":…}): from one
// goroutine at a time, never blocking, and only for an offer taken.
func (o *Offer) Send(payload []byte) { o.send(payload) }

// Take accepts the offer: the transport then pulls nothing from gqlgen for the operation. It is
// called while the operation is being dispatched (in an operation interceptor).
func (o *Offer) Take() { o.taken = true }

// Taken reports whether the offer was taken; the transport asks once dispatch has returned.
func (o *Offer) Taken() bool { return o.taken }

// WithLifetime returns ctx whose Lifetime is life.
func WithLifetime(ctx, life context.Context) context.Context {
	return context.WithValue(ctx, lifetimeKey{}, life)
}

// Lifetime returns a context that ends with the operation of ctx but carries none of its
// values. Register what outlives an operation's start on it (context.AfterFunc, a Join): a
// registration on ctx itself keeps the whole operation context (document, variables, trace)
// alive for as long as the subscription lasts. Without one (WithLifetime) it returns ctx.
func Lifetime(ctx context.Context) context.Context {
	if l, ok := ctx.Value(lifetimeKey{}).(context.Context); ok {
		return l
	}
	return ctx
}
