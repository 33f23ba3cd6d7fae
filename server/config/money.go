package config

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"
)

// Money configures payments and messages. The secrets are read from the environment only (never
// flags, which other users of the machine can see) and are never logged.
type Money struct {
	// StripeSecretKey (sk_…) switches payments to Stripe; empty: the manual provider.
	StripeSecretKey string
	// StripeWebhookSecret (whsec_…) verifies /webhooks/stripe deliveries.
	StripeWebhookSecret string
	// StripePublishableKey (pk_…) is given to the browser for the Payment Element.
	StripePublishableKey string
	// StripeAPIURL overrides Stripe's API address (stripe-mock); empty: Stripe's.
	StripeAPIURL string
	// WebhookTolerance is how old a webhook signature's timestamp may be.
	WebhookTolerance time.Duration
	// SMTPURL is smtp://user:pass@host:port (or smtps://); empty writes .eml files to Outbox.
	SMTPURL string
	// Outbox is where emails are written without SMTP_URL.
	Outbox string
	// MailFrom is the sender of every email.
	MailFrom string
	// WorkshopEmail receives the workshop's notifications (empty: none).
	WorkshopEmail string
	// PublicURL is the shop's address, for links in emails.
	PublicURL string
	// JobRescueAfter is how long a job may run before it counts as abandoned and runs again.
	JobRescueAfter time.Duration
}

// moneyFlags registers the money settings on fs and returns a function that reads them after
// parsing.
func moneyFlags(ef *envFlags) func() (Money, []error) {
	fs, get := ef.fs, ef.get
	apiURL := fs.String("stripe-api-url", get("STRIPE_API_URL", ""),
		"Stripe API address, e.g. a stripe-mock (env STRIPE_API_URL)")
	tolerance := ef.positiveDuration("stripe-webhook-tolerance", "STRIPE_WEBHOOK_TOLERANCE", "5m",
		"oldest webhook signature timestamp accepted (env STRIPE_WEBHOOK_TOLERANCE)")
	outbox := fs.String("mail-outbox", get("MAIL_OUTBOX", "data/outbox"),
		"folder of .eml files when SMTP_URL is empty (env MAIL_OUTBOX)")
	from := fs.String("mail-from", get("MAIL_FROM", "Atelier <atelier@localhost>"),
		"sender of every email (env MAIL_FROM)")
	workshop := fs.String("workshop-email", get("WORKSHOP_EMAIL", "workshop@localhost"),
		"address of the workshop's notifications; empty: none (env WORKSHOP_EMAIL)")
	public := fs.String("public-url", get("PUBLIC_URL", "http://localhost:8080"),
		"the shop's address, for links in emails (env PUBLIC_URL)")
	rescue := ef.positiveDuration("job-rescue-after", "JOB_RESCUE_AFTER", "5m",
		"a job running this long counts as abandoned and runs again (env JOB_RESCUE_AFTER)")
	return func() (Money, []error) {
		m := Money{
			StripeSecretKey:      get("STRIPE_SECRET_KEY", ""),
			StripeWebhookSecret:  get("STRIPE_WEBHOOK_SECRET", ""),
			StripePublishableKey: get("STRIPE_PUBLISHABLE_KEY", ""),
			StripeAPIURL:         *apiURL,
			SMTPURL:              get("SMTP_URL", ""),
			Outbox:               *outbox,
			MailFrom:             *from,
			WorkshopEmail:        *workshop,
			PublicURL:            strings.TrimRight(*public, "/"),
		}
		var errs []error
		m.WebhookTolerance, errs = tolerance(errs)
		m.JobRescueAfter, errs = rescue(errs)
		return m, append(errs, m.validate()...)
	}
}

func (m Money) validate() []error {
	var errs []error
	if m.StripeSecretKey != "" {
		if !strings.HasPrefix(m.StripeSecretKey, "sk_") && !strings.HasPrefix(m.StripeSecretKey, "rk_") {
			errs = append(errs, &Error{"STRIPE_SECRET_KEY", "must be a secret key (sk_…)"})
		}
		if !strings.HasPrefix(m.StripeWebhookSecret, "whsec_") {
			errs = append(errs, &Error{"STRIPE_WEBHOOK_SECRET",
				"a webhook signing secret (whsec_…) is needed with STRIPE_SECRET_KEY: " +
					"orders are confirmed by verified webhooks"})
		}
		if !strings.HasPrefix(m.StripePublishableKey, "pk_") {
			errs = append(errs, &Error{"STRIPE_PUBLISHABLE_KEY",
				"a publishable key (pk_…) is needed with STRIPE_SECRET_KEY for the browser's payment form"})
		}
	}
	if m.StripeAPIURL != "" && !httpURL(m.StripeAPIURL) {
		errs = append(errs, &Error{"STRIPE_API_URL",
			"must be an http(s) URL, e.g. http://127.0.0.1:12111"})
	}
	if m.SMTPURL != "" {
		u, err := url.Parse(m.SMTPURL)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			errs = append(errs, &Error{"SMTP_URL",
				"must look like smtp://user:pass@host:587 or smtps://host:465"})
		}
	}
	if _, err := mail.ParseAddress(m.MailFrom); err != nil {
		errs = append(errs, &Error{"MAIL_FROM", fmt.Sprintf("%q is not an email address", m.MailFrom)})
	}
	if m.WorkshopEmail != "" {
		if _, err := mail.ParseAddress(m.WorkshopEmail); err != nil {
			errs = append(errs, &Error{"WORKSHOP_EMAIL",
				fmt.Sprintf("%q is not an email address", m.WorkshopEmail)})
		}
	}
	if !httpURL(m.PublicURL) {
		errs = append(errs, &Error{"PUBLIC_URL", fmt.Sprintf("%q is not an http(s) URL", m.PublicURL)})
	}
	return errs
}

func httpURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
