// Package mail sends Atelier's emails: through an SMTP server (go-mail) when SMTP_URL is set,
// or, in the embedded default, as .eml files in an outbox folder. Every message has an HTML and
// a plain-text part; images (the strap preview) are embedded by content id.
package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one email.
type Message struct {
	// To is the recipient's address.
	To string
	// Subject, Text and HTML are the subject and the two bodies.
	Subject, Text, HTML string
	// ID is the Message-ID without angle brackets, stable per queued email, so a message sent
	// again after a crash is recognisably the same one.
	ID string
	// Inline are images the HTML shows with src="cid:…".
	Inline []Inline
}

// Inline is an embedded image.
type Inline struct {
	// CID is its content id; ContentType e.g. image/svg+xml.
	CID, ContentType string
	Data             []byte
}

// Sender delivers messages.
type Sender interface {
	// Send delivers m or returns why not (the queue retries later).
	Send(ctx context.Context, m *Message) error
}

// build turns m into a go-mail message from from.
func build(from string, m *Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.From(from); err != nil {
		return nil, fmt.Errorf("setting sender: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("setting recipient: %w", err)
	}
	msg.Subject(m.Subject)
	if m.ID != "" {
		msg.SetMessageIDWithValue(m.ID)
	} else {
		msg.SetMessageID()
	}
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, in := range m.Inline {
		err := msg.EmbedReader(in.CID, bytes.NewReader(in.Data),
			gomail.WithFileContentID(in.CID),
			gomail.WithFileContentType(gomail.ContentType(in.ContentType)))
		if err != nil {
			return nil, fmt.Errorf("embedding %s: %w", in.CID, err)
		}
	}
	return msg, nil
}

// SMTP sends through an SMTP server.
type SMTP struct {
	from string
	host string
	opts []gomail.Option
}

// NewSMTP configures an SMTP sender from rawURL: smtp://[user:pass@]host[:port] (STARTTLS when
// the server offers it; ?tls=none never, ?tls=required always) or smtps://… (implicit TLS).
func NewSMTP(rawURL, from string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		return nil, errors.New("must look like smtp://user:pass@host:587 or smtps://host:465")
	}
	opts := []gomail.Option{gomail.WithTimeout(20 * time.Second)}
	port := 587
	if u.Scheme == "smtps" {
		port = 465
		opts = append(opts, gomail.WithSSL())
	} else {
		switch u.Query().Get("tls") {
		case "none":
			opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
		case "required":
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
		case "", "opportunistic":
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
		default:
			return nil, errors.New("tls must be none, opportunistic or required")
		}
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("port %q is not a number", p)
		}
		port = n
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil && u.User.Username() != "" {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	return &SMTP{from: from, host: u.Hostname(), opts: opts}, nil
}

// Send delivers m over one SMTP session.
func (s *SMTP) Send(ctx context.Context, m *Message) error {
	msg, err := build(s.from, m)
	if err != nil {
		return err
	}
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("configuring smtp client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("sending mail to %s: %w", s.host, err)
	}
	return nil
}

// Outbox writes each message as an .eml file in Dir, the embedded default's mail: nothing
// leaves the machine, and the path is logged.
type Outbox struct {
	Dir    string
	From   string
	Logger *slog.Logger
}

// Send writes m to Dir/<time>-<id>.eml.
func (o *Outbox) Send(_ context.Context, m *Message) error {
	msg, err := build(o.From, m)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return fmt.Errorf("creating outbox: %w", err)
	}
	name := time.Now().UTC().Format("20060102T150405.000000000") + "-" + safeName(m.ID) + ".eml"
	path := filepath.Join(o.Dir, name)
	if err := msg.WriteToFile(path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if o.Logger != nil {
		o.Logger.Info("mail written to the outbox", "path", path, "subject", m.Subject)
	}
	return nil
}

func safeName(s string) string {
	s, _, _ = strings.Cut(s, "@")
	b := []byte(s)
	for i, c := range b {
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !alnum && c != '-' && c != '.' {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "message"
	}
	return string(b)
}

// Open returns the sender SMTP_URL asks for, or the outbox in dir when it is empty.
func Open(smtpURL, from, dir string, logger *slog.Logger) (Sender, error) {
	if smtpURL == "" {
		return &Outbox{Dir: dir, From: from, Logger: logger}, nil
	}
	return NewSMTP(smtpURL, from)
}
