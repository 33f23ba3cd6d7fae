package mail

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"
)

// Template names an email Atelier sends.
type Template string

// The emails. Customer emails carry the order's private link; workshop ones a link to the order.
const (
	// OrderReceived thanks the customer and says how the deposit is taken.
	OrderReceived Template = "order_received"
	// PaymentReceived thanks the customer for a payment (deposit or balance).
	PaymentReceived Template = "payment_received"
	// BalanceDue asks for the balance before shipping, with the payment link.
	BalanceDue Template = "balance_due"
	// StatusChanged tells the customer the build moved on (shipped: with the tracking number).
	StatusChanged Template = "status_changed"
	// Refunded confirms a refund.
	Refunded Template = "refunded"
	// SignIn is the one-time link of "find my order".
	SignIn Template = "sign_in"
	// WorkshopNewOrder tells the workshop an order came in.
	WorkshopNewOrder Template = "workshop_new_order"
	// WorkshopPayment tells the workshop money came in.
	WorkshopPayment Template = "workshop_payment"
	// ProofSent asks the customer to approve a proof of the design, or to ask for a revision.
	ProofSent Template = "proof_sent"
	// WorkshopProofAnswered tells the workshop the customer approved a proof or asked for a
	// revision.
	WorkshopProofAnswered Template = "workshop_proof_answered"
)

// Order is what an email says about an order.
type Order struct {
	Number, CustomerName, ProductName, Currency string
	Total, Paid, Deposit                        int64
	ShipsEarliest, ShipsLatest                  time.Time
	Tracking                                    string
	PreviewSVG                                  string
	// Selections are "Group: Option" lines.
	Selections []string
}

// Data is what one email is composed from.
type Data struct {
	Order Order
	// Link is the private order link (customers), the sign-in link, or the workshop's link.
	Link string
	// Amount is the payment, refund or balance the email is about, in minor units.
	Amount int64
	// Status is the status entered (StatusChanged), e.g. SHIPPED.
	Status string
	// TakesMoney is true when the shop takes payments online (the customer pays from the link);
	// false when the workshop contacts the customer.
	TakesMoney bool
	// Expires is when a sign-in link stops working.
	Expires time.Time
	// Proof is the proof number (ProofSent, WorkshopProofAnswered).
	Proof int
	// Note is the workshop's note with a proof, or the customer's with a revision request.
	Note string
}

// content is a composed email before layout.
type content struct {
	Subject    string
	Greeting   string
	Paragraphs []string
	Action     string
	Link       string
	Preview    bool
	Order      Order
}

// statusLines is what the customer is told when the order enters a status.
var statusLines = map[string]string{
	"CONFIRMED":     "Your deposit is in and your strap is booked into the workshop's calendar.",
	"MATERIALS":     "We are selecting and preparing the leather for your strap.",
	"CRAFTING":      "Your strap is on the bench: cutting, skiving and stitching by hand have begun.",
	"FINISHING":     "The edges are being painted and polished, layer after layer.",
	"QUALITY_CHECK": "Your strap is with our master artisan for its final inspection.",
	"SHIPPED":       "Your strap has left the workshop and is on its way to you.",
	"DELIVERED":     "Your strap has arrived. We hope it brings you joy every time you wear it.",
	"CANCELLED":     "Your order has been cancelled.",
}

// CustomerStatuses are the statuses a customer hears about by email.
var CustomerStatuses = map[string]bool{
	"CONFIRMED": true, "CRAFTING": true, "SHIPPED": true, "DELIVERED": true, "CANCELLED": true,
}

// Compose writes email t to to.
func Compose(t Template, to string, d Data) (*Message, error) {
	o := d.Order
	c := content{Order: o, Link: d.Link, Greeting: "Dear " + o.CustomerName + ",", Preview: true}
	due := o.Total - o.Paid
	switch t {
	case OrderReceived:
		c.Subject = fmt.Sprintf("Your Atelier order %s", o.Number)
		c.Paragraphs = []string{
			fmt.Sprintf("Thank you for your order of the %s. Every strap we make is cut and "+
				"stitched by hand, for you alone.", o.ProductName),
			fmt.Sprintf("Total %s — deposit %s, balance before shipping %s.",
				Format(o.Total, o.Currency), Format(o.Deposit, o.Currency),
				Format(o.Total-o.Deposit, o.Currency)),
		}
		if d.TakesMoney {
			c.Paragraphs = append(c.Paragraphs, "Your strap is scheduled as soon as the deposit "+
				"is received; you can pay it from your order page.")
		} else {
			c.Paragraphs = append(c.Paragraphs, fmt.Sprintf("The workshop will contact you "+
				"to take the deposit of %s.", Format(o.Deposit, o.Currency)))
		}
		c.Paragraphs = append(c.Paragraphs, shipWindow(o),
			"Keep this email: the link below is your private link to follow your order on any device.")
		c.Action = "Follow your order"
	case PaymentReceived:
		c.Subject = fmt.Sprintf("Payment received for order %s", o.Number)
		c.Paragraphs = []string{fmt.Sprintf("We have received your payment of %s. Thank you.",
			Format(d.Amount, o.Currency))}
		if due > 0 {
			c.Paragraphs = append(c.Paragraphs, fmt.Sprintf("Paid so far %s; %s remains due "+
				"before shipping.", Format(o.Paid, o.Currency), Format(due, o.Currency)))
		} else {
			c.Paragraphs = append(c.Paragraphs, "Your order is now paid in full.")
		}
		c.Action = "View your order"
	case BalanceDue:
		c.Subject = fmt.Sprintf("Your strap is nearly ready — balance due for %s", o.Number)
		c.Paragraphs = []string{
			"Your strap is nearly ready to leave the workshop.",
			fmt.Sprintf("The balance of %s is due before we ship it.", Format(d.Amount, o.Currency)),
		}
		if d.TakesMoney {
			c.Action = "Pay the balance"
		} else {
			c.Paragraphs = append(c.Paragraphs, "The workshop will contact you to take it.")
			c.Action = "View your order"
		}
	case StatusChanged:
		line, ok := statusLines[d.Status]
		if !ok {
			return nil, fmt.Errorf("no email for status %s", d.Status)
		}
		c.Subject = fmt.Sprintf("Order %s: %s", o.Number, statusTitle(d.Status))
		c.Paragraphs = []string{line}
		if d.Status == "SHIPPED" && o.Tracking != "" {
			c.Paragraphs = append(c.Paragraphs, "Tracking number: "+o.Tracking)
		} else if d.Status != "CANCELLED" && d.Status != "DELIVERED" {
			c.Paragraphs = append(c.Paragraphs, shipWindow(o))
		}
		c.Action = "Follow your order"
	case Refunded:
		c.Subject = fmt.Sprintf("Refund for order %s", o.Number)
		c.Paragraphs = []string{fmt.Sprintf("We have refunded %s to your original payment "+
			"method; it may take a few days to appear.", Format(d.Amount, o.Currency))}
		c.Action = "View your order"
	case SignIn:
		c.Subject = fmt.Sprintf("Your link to order %s", o.Number)
		c.Paragraphs = []string{
			"You asked for a link to your order. It works once, until " +
				d.Expires.UTC().Format("15:04 MST on 2 January 2006") + ".",
			"If you did not ask for it, you can ignore this email.",
		}
		c.Action = "Open your order"
		c.Preview = false
	case WorkshopNewOrder:
		c.Greeting = "Hello workshop,"
		c.Subject = fmt.Sprintf("New order %s — %s", o.Number, o.ProductName)
		c.Paragraphs = []string{fmt.Sprintf("%s ordered the %s: total %s, deposit %s.",
			o.CustomerName, o.ProductName, Format(o.Total, o.Currency), Format(o.Deposit, o.Currency))}
		c.Action = "Open the order"
	case WorkshopPayment:
		c.Greeting = "Hello workshop,"
		c.Subject = fmt.Sprintf("Payment of %s for %s", Format(d.Amount, o.Currency), o.Number)
		c.Paragraphs = []string{fmt.Sprintf("%s paid %s; %s received in all, %s still due.",
			o.CustomerName, Format(d.Amount, o.Currency), Format(o.Paid, o.Currency),
			Format(max(due, 0), o.Currency))}
		c.Action = "Open the order"
		c.Preview = false
	case ProofSent:
		c.Subject = fmt.Sprintf("Order %s: please approve your design (proof %d)", o.Number, d.Proof)
		c.Paragraphs = []string{"Before we cut the leather, please check the design of your strap " +
			"below, exactly as we will make it."}
		if d.Note != "" {
			c.Paragraphs = append(c.Paragraphs, "A note from the workshop: "+d.Note)
		}
		c.Paragraphs = append(c.Paragraphs, "Approve it, or ask for a revision, from your order page: "+
			"production starts once you approve.")
		c.Action = "Review the proof"
	case WorkshopProofAnswered:
		c.Greeting = "Hello workshop,"
		c.Preview = false
		c.Action = "Open the order"
		if d.Status == "APPROVED" {
			c.Subject = fmt.Sprintf("%s approved proof %d of %s", o.CustomerName, d.Proof, o.Number)
			c.Paragraphs = []string{"The design is approved: production can start."}
			break
		}
		c.Subject = fmt.Sprintf("%s asks for a revision of proof %d of %s", o.CustomerName, d.Proof, o.Number)
		c.Paragraphs = []string{"The customer's note: " + d.Note, "Send a new proof once it is revised."}
	default:
		return nil, fmt.Errorf("unknown email template %q", t)
	}
	c.Preview = c.Preview && o.PreviewSVG != ""
	var text, html bytes.Buffer
	if err := textLayout.Execute(&text, c); err != nil {
		return nil, fmt.Errorf("rendering text: %w", err)
	}
	if err := htmlLayout.Execute(&html, c); err != nil {
		return nil, fmt.Errorf("rendering html: %w", err)
	}
	m := &Message{To: to, Subject: c.Subject, Text: text.String(), HTML: html.String()}
	if c.Preview {
		m.Inline = []Inline{{CID: previewCID, ContentType: "image/svg+xml", Data: []byte(o.PreviewSVG)}}
	}
	return m, nil
}

// previewCID is the content id of the strap preview.
const previewCID = "strap-preview.svg"

func statusTitle(s string) string {
	switch s {
	case "QUALITY_CHECK":
		return "final inspection"
	case "CRAFTING":
		return "on the bench"
	}
	return strings.ToLower(s)
}

func shipWindow(o Order) string {
	if o.ShipsEarliest.IsZero() {
		return ""
	}
	return fmt.Sprintf("We expect it to ship between %s and %s.",
		o.ShipsEarliest.Format("2 January"), o.ShipsLatest.Format("2 January 2006"))
}

var symbols = map[string]string{"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CHF": "CHF "}

// zeroDecimal are the currencies without minor units that Atelier may price in.
var zeroDecimal = map[string]bool{"JPY": true, "KRW": true}

// Format renders minor units for a reader, e.g. $236.40.
func Format(amount int64, currency string) string {
	sign := ""
	if amount < 0 {
		sign, amount = "-", -amount
	}
	sym, ok := symbols[currency]
	if !ok {
		sym = currency + " "
	}
	if zeroDecimal[currency] {
		return sign + sym + grouped(amount)
	}
	return fmt.Sprintf("%s%s%s.%02d", sign, sym, grouped(amount/100), amount%100)
}

// grouped writes a non-negative whole amount with thousands separators, as the SPA does:
// 1234567 → "1,234,567".
func grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

var textLayout = texttemplate.Must(texttemplate.New("text").Parse(`{{.Greeting}}

{{range .Paragraphs}}{{if .}}{{.}}

{{end}}{{end}}{{if .Preview}}Your strap: {{.Order.ProductName}}
{{range .Order.Selections}}  - {{.}}
{{end}}
{{end}}{{if .Link}}{{.Action}}: {{.Link}}

{{end}}With our warmest regards,
Atelier — made to order, by hand
`))

var htmlLayout = htmltemplate.Must(htmltemplate.New("html").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="margin:0;background:#f6f1ea;font-family:Georgia,'Times New Roman',serif;color:#2b2420">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table role="presentation" width="560" cellpadding="0" cellspacing="0"
 style="background:#fffdf9;margin:24px 0;border:1px solid #e6dccf">
<tr><td style="padding:28px 32px 8px;font-size:13px;letter-spacing:.25em;color:#8a6d4b">
ATELIER</td></tr>
<tr><td style="padding:8px 32px;font-size:16px;line-height:1.6">
<p>{{.Greeting}}</p>
{{range .Paragraphs}}{{if .}}<p>{{.}}</p>{{end}}{{end}}
</td></tr>
{{if .Preview}}<tr><td style="padding:8px 32px" align="center">
<img src="cid:strap-preview.svg" alt="Your strap as configured" width="480"
 style="max-width:100%;height:auto">
<p style="font-size:13px;color:#6b5d50;text-align:left">{{.Order.ProductName}}<br>
{{range .Order.Selections}}{{.}}<br>{{end}}</p>
</td></tr>{{end}}
{{if .Link}}<tr><td style="padding:16px 32px" align="center">
<a href="{{.Link}}" style="display:inline-block;background:#2b2420;color:#fffdf9;padding:12px 28px;
text-decoration:none;font-size:15px;letter-spacing:.05em">{{.Action}}</a>
</td></tr>{{end}}
<tr><td style="padding:16px 32px 28px;font-size:14px;color:#6b5d50">With our warmest regards,<br>
Atelier — made to order, by hand</td></tr>
</table></td></tr></table></body></html>
`))
