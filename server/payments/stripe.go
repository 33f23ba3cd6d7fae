package payments

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v85"
)

// StripeConfig configures the Stripe provider.
type StripeConfig struct {
	// SecretKey (sk_…) authenticates the server; never logged.
	SecretKey string
	// PublishableKey (pk_…) is given to the browser.
	PublishableKey string
	// APIURL overrides Stripe's API address (stripe-mock in tests); empty: api.stripe.com.
	APIURL string
	// HTTPClient is the client used (default: 30 s timeout).
	HTTPClient *http.Client
}

// Stripe takes payments with Stripe PaymentIntents and refunds them with the Refund API.
type Stripe struct {
	sc         *stripe.Client
	publishKey string
}

// NewStripe returns the Stripe provider.
func NewStripe(cfg StripeConfig) *Stripe {
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	retries := int64(2)
	bc := &stripe.BackendConfig{HTTPClient: hc, MaxNetworkRetries: &retries,
		LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelError}}
	if cfg.APIURL != "" {
		bc.URL = stripe.String(strings.TrimRight(cfg.APIURL, "/"))
	}
	backends := &stripe.Backends{
		API:         stripe.GetBackendWithConfig(stripe.APIBackend, bc),
		Connect:     stripe.GetBackendWithConfig(stripe.ConnectBackend, bc),
		Uploads:     stripe.GetBackendWithConfig(stripe.UploadsBackend, bc),
		MeterEvents: stripe.GetBackendWithConfig(stripe.MeterEventsBackend, bc),
	}
	return &Stripe{
		sc:         stripe.NewClient(cfg.SecretKey, stripe.WithBackends(backends)),
		publishKey: cfg.PublishableKey,
	}
}

// Name returns "stripe".
func (s *Stripe) Name() string { return "stripe" }

// TakesMoney returns true.
func (s *Stripe) TakesMoney() bool { return true }

// PublishableKey returns the browser's key.
func (s *Stripe) PublishableKey() string { return s.publishKey }

// Metadata keys set on every PaymentIntent, read back from webhooks.
const (
	MetaOrderID = "atelier_order_id"
	MetaKind    = "atelier_kind"
)

// CreateIntent creates a PaymentIntent with automatic payment methods.
func (s *Stripe) CreateIntent(ctx context.Context, in IntentInput) (*Intent, error) {
	p := &stripe.PaymentIntentCreateParams{
		Amount:   stripe.Int64(in.Amount),
		Currency: stripe.String(strings.ToLower(in.Currency)),
		AutomaticPaymentMethods: &stripe.PaymentIntentCreateAutomaticPaymentMethodsParams{
			Enabled: stripe.Bool(true),
		},
		Description: stripe.String(fmt.Sprintf("Atelier order %s (%s)", in.OrderNumber,
			strings.ToLower(string(in.Kind)))),
	}
	if in.Email != "" {
		p.ReceiptEmail = stripe.String(in.Email)
	}
	p.AddMetadata(MetaOrderID, strconv.Itoa(in.OrderID))
	p.AddMetadata(MetaKind, string(in.Kind))
	p.SetIdempotencyKey(in.IdempotencyKey)
	pi, err := s.sc.V1PaymentIntents.Create(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("creating payment intent: %w", err)
	}
	return &Intent{Ref: pi.ID, ClientSecret: pi.ClientSecret}, nil
}

// Refund refunds in.Amount of the PaymentIntent in.PaymentRef.
func (s *Stripe) Refund(ctx context.Context, in RefundInput) (string, error) {
	p := &stripe.RefundCreateParams{
		PaymentIntent: stripe.String(in.PaymentRef),
		Amount:        stripe.Int64(in.Amount),
		Reason:        stripe.String(string(stripe.RefundReasonRequestedByCustomer)),
	}
	p.SetIdempotencyKey(in.IdempotencyKey)
	r, err := s.sc.V1Refunds.Create(ctx, p)
	if err != nil {
		return "", fmt.Errorf("refunding payment: %w", err)
	}
	return r.ID, nil
}
