package mail_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/mail"
)

func TestFormat(t *testing.T) {
	for _, tt := range []struct {
		amount   int64
		currency string
		want     string
	}{
		{23640, "USD", "$236.40"},
		{5, "EUR", "€0.05"},
		{-78800, "USD", "-$788.00"},
		{1200, "JPY", "¥1,200"},
		{123456789, "USD", "$1,234,567.89"},
		{-100000, "EUR", "-€1,000.00"},
		{99999, "USD", "$999.99"},
		{100, "SEK", "SEK 1.00"},
	} {
		assert.Equal(t, tt.want, mail.Format(tt.amount, tt.currency))
	}
}

func TestComposeEveryTemplate(t *testing.T) {
	o := mail.Order{
		Number: "AT-7K3M-9Q2P", CustomerName: "Ada <Lovelace>", ProductName: "Heritage Sport",
		Currency: "USD", Total: 78800, Paid: 23640, Deposit: 23640, Tracking: "1Z999",
		ShipsEarliest: time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC),
		ShipsLatest:   time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC),
		PreviewSVG:    `<svg xmlns="http://www.w3.org/2000/svg"/>`, Selections: []string{"Leather: Shell cordovan"},
	}
	for _, tt := range []struct {
		tpl  mail.Template
		data mail.Data
		want string
	}{
		{mail.OrderReceived, mail.Data{}, "The workshop will contact you to take the deposit of $236.40."},
		{mail.OrderReceived, mail.Data{TakesMoney: true}, "you can pay it from your order page"},
		{mail.PaymentReceived, mail.Data{Amount: 23640}, "$551.60 remains due"},
		{mail.BalanceDue, mail.Data{Amount: 55160, TakesMoney: true}, "Pay the balance: https://x/o#key=k"},
		{mail.StatusChanged, mail.Data{Status: "SHIPPED"}, "Tracking number: 1Z999"},
		{mail.Refunded, mail.Data{Amount: 23640}, "We have refunded $236.40"},
		{mail.SignIn, mail.Data{Expires: time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC)}, "until 10:30 UTC"},
		{mail.WorkshopNewOrder, mail.Data{}, "ordered the Heritage Sport"},
		{mail.WorkshopPayment, mail.Data{Amount: 23640}, "$551.60 still due"},
		{mail.ProofSent, mail.Data{Proof: 2, Note: "Initials centred"}, "A note from the workshop: Initials centred"},
		{mail.WorkshopProofAnswered, mail.Data{Proof: 1, Status: "APPROVED"}, "production can start"},
		{mail.WorkshopProofAnswered, mail.Data{Proof: 1, Status: "REVISION_REQUESTED", Note: "Smaller"},
			"The customer's note: Smaller"},
	} {
		t.Run(string(tt.tpl), func(t *testing.T) {
			d := tt.data
			d.Order, d.Link = o, "https://x/o#key=k"
			m, err := mail.Compose(tt.tpl, "ada@example.com", d)
			require.NoError(t, err)
			assert.Contains(t, m.Text, tt.want)
			assert.Contains(t, m.Text, "https://x/o#key=k")
			assert.NotContains(t, m.HTML, "Ada <Lovelace>", "HTML is escaped")
			assert.True(t, strings.HasPrefix(m.HTML, "<!doctype html>"))
			assert.Equal(t, strings.Contains(m.HTML, "cid:strap-preview.svg"), len(m.Inline) == 1)
		})
	}
	_, err := mail.Compose(mail.StatusChanged, "a@b.c", mail.Data{Order: o, Status: "NOPE"})
	assert.Error(t, err)
}
