package payments

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/stripe/stripe-go/v85"
	"github.com/stripe/stripe-go/v85/webhook"
)

// Event is a verified provider event, reduced to what Atelier applies.
type Event struct {
	// ID is the provider's event id: each is applied once.
	ID string
	// Type is e.g. payment_intent.succeeded.
	Type string
	// Created is when the provider created the event.
	Created time.Time
	// PaymentRef is the PaymentIntent's id (payment_intent.* events).
	PaymentRef string
	// Amount received, in minor units of Currency (upper case).
	Amount   int64
	Currency string
	// OrderID and Kind come from the intent's metadata (0 and "" when absent).
	OrderID int
	Kind    Kind
}

// Succeeded reports whether the event says a payment succeeded.
func (e *Event) Succeeded() bool {
	return e.Type == string(stripe.EventTypePaymentIntentSucceeded)
}

// SignatureError is a webhook delivery whose signature does not verify: forged, signed with
// another secret, altered, or outside the timestamp tolerance.
type SignatureError struct{ Err error }

func (e *SignatureError) Error() string { return "webhook signature: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *SignatureError) Unwrap() error { return e.Err }

// Webhook verifies Stripe webhook deliveries.
type Webhook struct {
	// Secret is the endpoint's signing secret (whsec_…).
	Secret string
	// Tolerance is how old a signature's timestamp may be (0: stripe-go's 5 minutes).
	Tolerance time.Duration
}

// Verify checks payload against its Stripe-Signature header and decodes it. A failed check
// is a *SignatureError.
func (w Webhook) Verify(payload []byte, header string) (*Event, error) {
	ev, err := webhook.ConstructEventWithOptions(payload, header, w.Secret,
		webhook.ConstructEventOptions{
			Tolerance: w.Tolerance,
			// The fields read below are the same in every API version.
			IgnoreAPIVersionMismatch: true,
		})
	if err != nil {
		return nil, &SignatureError{Err: err}
	}
	out := &Event{ID: ev.ID, Type: string(ev.Type), Created: time.Unix(ev.Created, 0).UTC()}
	if ev.Data == nil || len(ev.Data.Raw) == 0 {
		return out, nil
	}
	var obj struct {
		Object         string            `json:"object"`
		ID             string            `json:"id"`
		AmountReceived int64             `json:"amount_received"`
		Currency       string            `json:"currency"`
		Metadata       map[string]string `json:"metadata"`
	}
	if err := json.Unmarshal(ev.Data.Raw, &obj); err != nil {
		return nil, fmt.Errorf("decoding event object: %w", err)
	}
	if obj.Object == "payment_intent" {
		out.PaymentRef, out.Amount = obj.ID, obj.AmountReceived
		out.Currency = upper(obj.Currency)
		out.OrderID, _ = strconv.Atoi(obj.Metadata[MetaOrderID])
		out.Kind = Kind(obj.Metadata[MetaKind])
	}
	return out, nil
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// maxWebhookBytes bounds a delivery (Stripe's events are a few KB).
const maxWebhookBytes = 1 << 16

// WebhookHandler serves POST /webhooks/stripe: it answers 400 to a delivery that does not
// verify (nothing is applied), 500 when apply fails (Stripe delivers again later) and 200 once
// the event is applied — or was already.
func WebhookHandler(w Webhook, apply func(context.Context, *Event) error,
	logger *slog.Logger,
) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		payload, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, maxWebhookBytes))
		if err != nil {
			http.Error(rw, "body too large or unreadable", http.StatusBadRequest)
			return
		}
		ev, err := w.Verify(payload, r.Header.Get("Stripe-Signature"))
		var sig *SignatureError
		switch {
		case errors.As(err, &sig):
			logger.Warn("stripe webhook refused", "err", err)
			http.Error(rw, "invalid signature", http.StatusBadRequest)
			return
		case err != nil:
			logger.Warn("stripe webhook unreadable", "err", err)
			http.Error(rw, "invalid event", http.StatusBadRequest)
			return
		}
		if err := apply(r.Context(), ev); err != nil {
			logger.Error("applying stripe webhook", "event", ev.ID, "type", ev.Type, "err", err)
			http.Error(rw, "not applied; deliver again", http.StatusInternalServerError)
			return
		}
		rw.Header().Set("Content-Type", "application/json")
		_, _ = rw.Write([]byte(`{"received":true}`))
	})
}
