// Package payments is how Atelier takes money: a Provider chosen by configuration — Manual (the
// workshop records what it receives) or Stripe (PaymentIntents confirmed in the customer's
// browser, refunds through the Refund API, results reported by signed webhooks). Amounts are
// integer minor units end to end.
package payments

import (
	"context"
	"errors"
)

// Kind is what a payment request asks for.
type Kind string

// The kinds of payment request.
const (
	// Deposit is asked at checkout (the full amount when the product asks for prepayment).
	Deposit Kind = "DEPOSIT"
	// Balance is asked before shipping.
	Balance Kind = "BALANCE"
)

// IntentInput asks the customer for money.
type IntentInput struct {
	// OrderID and OrderNumber identify the order (sent as metadata, shown on statements).
	OrderID     int
	OrderNumber string
	Kind        Kind
	// Amount in minor units of Currency (ISO 4217, any case).
	Amount   int64
	Currency string
	// Email receives the provider's receipt.
	Email string
	// IdempotencyKey makes a retried request return the first intent.
	IdempotencyKey string
}

// Intent is a payment the customer's browser can confirm.
type Intent struct {
	// Ref is the provider's id (a PaymentIntent id).
	Ref string
	// ClientSecret is what the browser confirms it with.
	ClientSecret string
}

// RefundInput gives money back.
type RefundInput struct {
	// PaymentRef is the provider's id of the payment refunded.
	PaymentRef string
	// Amount in minor units, positive.
	Amount int64
	// IdempotencyKey makes a retried refund refund once.
	IdempotencyKey string
}

// Provider takes and refunds money.
type Provider interface {
	// Name is "manual" or "stripe".
	Name() string
	// TakesMoney reports whether the provider collects payments itself (Stripe); the manual
	// provider leaves that to the workshop, which records what it receives.
	TakesMoney() bool
	// PublishableKey is the key the browser loads the provider's payment form with ("" for
	// none).
	PublishableKey() string
	// CreateIntent asks for a payment.
	CreateIntent(ctx context.Context, in IntentInput) (*Intent, error)
	// Refund gives back (part of) a payment and returns the refund's id.
	Refund(ctx context.Context, in RefundInput) (string, error)
}

// ErrNotSupported is returned by the manual provider for what only a payment service does.
var ErrNotSupported = errors.New("payments: the manual provider takes no money itself")

// Manual is the provider of the embedded default: no keys, no payment service. The workshop
// contacts the customer and records each payment it receives.
type Manual struct{}

// Name returns "manual".
func (Manual) Name() string { return "manual" }

// TakesMoney returns false.
func (Manual) TakesMoney() bool { return false }

// PublishableKey returns "".
func (Manual) PublishableKey() string { return "" }

// CreateIntent returns ErrNotSupported.
func (Manual) CreateIntent(context.Context, IntentInput) (*Intent, error) {
	return nil, ErrNotSupported
}

// Refund returns ErrNotSupported.
func (Manual) Refund(context.Context, RefundInput) (string, error) {
	return "", ErrNotSupported
}
