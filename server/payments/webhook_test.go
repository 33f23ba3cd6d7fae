package payments_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/atelier/atelier/server/payments"
)

const event = `{"id":"evt_1","object":"event","type":"payment_intent.succeeded","created":1700000000,
"api_version":"2099-01-01","data":{"object":{"id":"pi_1","object":"payment_intent",
"amount_received":23640,"currency":"usd","metadata":{"atelier_order_id":"42","atelier_kind":"BALANCE"}}}}`

func TestWebhookVerify(t *testing.T) {
	w := payments.Webhook{Secret: "whsec_a", Tolerance: time.Minute}
	sign := func(secret string, at time.Time) string {
		return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{
			Payload: []byte(event), Secret: secret, Timestamp: at,
		}).Header
	}
	ev, err := w.Verify([]byte(event), sign("whsec_a", time.Now()))
	require.NoError(t, err)
	assert.Equal(t, &payments.Event{ID: "evt_1", Type: "payment_intent.succeeded",
		Created: time.Unix(1700000000, 0).UTC(), PaymentRef: "pi_1", Amount: 23640, Currency: "USD",
		OrderID: 42, Kind: payments.Balance}, ev)
	assert.True(t, ev.Succeeded())

	for name, header := range map[string]string{
		"another secret": sign("whsec_b", time.Now()),
		"too old":        sign("whsec_a", time.Now().Add(-2*time.Minute)),
		"unsigned":       "",
		"garbage":        "t=1,v1=00",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := w.Verify([]byte(event), header)
			var sig *payments.SignatureError
			assert.True(t, errors.As(err, &sig), "%v", err)
		})
	}
}
