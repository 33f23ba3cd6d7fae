// Package jobs is Atelier's durable job queue: River on the application's database (PostgreSQL
// through database/sql, or SQLite on a pool of its own). Jobs are inserted in the transaction
// of the change they follow (an order event), so a crash loses none and a rollback sends
// none; they are retried with backoff. Today's jobs send email.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/db"
	"github.com/atelier/atelier/server/mail"
)

// Options configure the queue.
type Options struct {
	// DB is the application's database; DatabaseURL its URL (SQLite gets a pool of its own).
	DB          *db.DB
	DatabaseURL string
	// Sender delivers email.
	Sender mail.Sender
	// PublicURL is the shop's address, for links in emails (e.g. https://atelier.example).
	PublicURL string
	// WorkshopEmail receives the workshop's notifications ("" sends none).
	WorkshopEmail string
	// TakesMoney is true when customers pay online (the payment provider takes money).
	TakesMoney bool
	// RescueAfter is how long a job may run before it counts as abandoned (its process died)
	// and runs again (default 5 minutes).
	RescueAfter time.Duration
	// Workers is how many jobs run at once on this instance (default 2).
	Workers int
	Logger  *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Queue inserts and works jobs.
type Queue struct {
	client *river.Client[*sql.Tx]
	// own is River's own pool (SQLite), closed with the queue.
	own    *sql.DB
	logger *slog.Logger
}

// migrateMu serialises River's migrations within a process (several instances in one test).
var migrateMu sync.Mutex

// Open migrates River's tables and builds the queue; Start runs its workers.
func Open(ctx context.Context, o Options) (*Queue, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.RescueAfter <= 0 {
		o.RescueAfter = 5 * time.Minute
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
	var (
		driver riverdriver.Driver[*sql.Tx]
		own    *sql.DB
	)
	if strings.HasPrefix(o.DatabaseURL, "file:") {
		dsn, err := db.SQLiteDSN(o.DatabaseURL)
		if err != nil {
			return nil, err
		}
		own, err = sql.Open("sqlite", dsn)
		if err != nil {
			return nil, fmt.Errorf("opening the job queue's database: %w", err)
		}
		// River's SQLite driver asks for one connection: SQLite has one writer at a time.
		own.SetMaxOpenConns(1)
		driver = riversqlite.New(own)
	} else {
		driver = riverdatabasesql.New(o.DB.SQL)
	}
	fail := func(err error) (*Queue, error) {
		if own != nil {
			_ = own.Close()
		}
		return nil, err
	}
	if err := migrate(ctx, driver); err != nil {
		return fail(err)
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &EmailWorker{
		client: o.DB.Client, sender: o.Sender, publicURL: strings.TrimRight(o.PublicURL, "/"),
		workshop: o.WorkshopEmail, takesMoney: o.TakesMoney, now: o.Now,
	})
	// A job still running after the timeout is given up on; one found running RescueAfter
	// after it started (its process died) runs again.
	timeout := min(o.RescueAfter*2/3, time.Minute)
	client, err := river.NewClient(driver, &river.Config{
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.Workers}},
		Workers:              workers,
		JobTimeout:           timeout,
		RescueStuckJobsAfter: o.RescueAfter,
		Logger:               o.Logger.With("component", "jobs"),
	})
	if err != nil {
		return fail(fmt.Errorf("creating job queue: %w", err))
	}
	return &Queue{client: client, own: own, logger: o.Logger}, nil
}

func migrate(ctx context.Context, driver riverdriver.Driver[*sql.Tx]) error {
	migrateMu.Lock()
	defer migrateMu.Unlock()
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return fmt.Errorf("preparing job queue migrations: %w", err)
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		// Another process may have migrated at the same moment: look again once.
		if _, err2 := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err2 == nil {
			return nil
		}
		return fmt.Errorf("migrating job queue: %w", err)
	}
	return nil
}

// Start runs the workers until Stop.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("starting job queue: %w", err)
	}
	return nil
}

// Stop lets running jobs finish (until ctx ends) and closes River's own pool.
func (q *Queue) Stop(ctx context.Context) error {
	err := q.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		err = q.client.StopAndCancel(context.Background())
	}
	if q.own != nil {
		_ = q.own.Close()
	}
	return err
}

// Enqueue inserts emails in tx: they are sent once tx commits, and never if it rolls back.
func (q *Queue) Enqueue(ctx context.Context, tx *sql.Tx, emails ...Email) error {
	if len(emails) == 0 {
		return nil
	}
	if tx == nil {
		return errors.New("jobs: enqueueing needs the transaction of the change")
	}
	params := make([]river.InsertManyParams, len(emails))
	for i, e := range emails {
		params[i] = river.InsertManyParams{Args: e}
	}
	if _, err := q.client.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("enqueueing email: %w", err)
	}
	return nil
}

// Email is the job of sending one email about an order.
type Email struct {
	// Template is the email.
	Template mail.Template `json:"template"`
	// OrderID is the order it is about.
	OrderID int `json:"order_id"`
	// Amount is the payment, refund or balance it is about, in minor units.
	Amount int64 `json:"amount,omitempty"`
	// Status is the status entered (StatusChanged, WorkshopProofAnswered).
	Status string `json:"status,omitempty"`
	// Proof is the proof number (ProofSent, WorkshopProofAnswered).
	Proof int `json:"proof,omitempty"`
	// Note is the note sent with a proof or a revision request.
	Note string `json:"note,omitempty"`
}

// Kind names the job.
func (Email) Kind() string { return "email" }

// InsertOpts retry an email for about a day before giving up.
func (Email) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 20} }

// EmailWorker composes and sends emails; links are issued at send time, so no secret is ever
// stored in a job.
type EmailWorker struct {
	river.WorkerDefaults[Email]
	client     *ent.Client
	sender     mail.Sender
	publicURL  string
	workshop   string
	takesMoney bool
	now        func() time.Time
}

// Work sends job's email.
func (w *EmailWorker) Work(ctx context.Context, job *river.Job[Email]) error {
	e := job.Args
	// The queue acts for no caller: it reads the order as System.
	ctx = auth.System(ctx)
	o, err := w.client.Order.Get(ctx, e.OrderID)
	if ent.IsNotFound(err) {
		return river.JobCancel(fmt.Errorf("order %d is gone", e.OrderID))
	}
	if err != nil {
		return fmt.Errorf("loading order: %w", err)
	}
	d := mail.Data{Order: view(o), Amount: e.Amount, Status: e.Status, TakesMoney: w.takesMoney,
		Proof: e.Proof, Note: e.Note}
	to := o.CustomerEmail
	orderURL := w.publicURL + "/orders/" + strconv.Itoa(o.ID)
	switch e.Template {
	case mail.WorkshopNewOrder, mail.WorkshopPayment, mail.WorkshopProofAnswered:
		if w.workshop == "" {
			return nil
		}
		to, d.Link = w.workshop, orderURL
	case mail.SignIn:
		secret, exp, err := auth.IssueSignIn(ctx, w.client, o.ID, w.now())
		if err != nil {
			return err
		}
		d.Link, d.Expires = orderURL+"#signin="+secret, exp
	default:
		secret, err := auth.IssueLink(ctx, w.client, o.ID)
		if err != nil {
			return err
		}
		d.Link = orderURL + "#key=" + secret
		if e.Template == mail.BalanceDue && w.takesMoney {
			d.Link += "&pay=1"
		}
	}
	m, err := mail.Compose(e.Template, to, d)
	if err != nil {
		return river.JobCancel(err)
	}
	m.ID = fmt.Sprintf("job-%d.%s@atelier", job.ID, e.Template)
	return w.sender.Send(ctx, m)
}

// view is what an email shows of o.
func view(o *ent.Order) mail.Order {
	v := mail.Order{
		Number: o.Number, CustomerName: o.CustomerName, Currency: o.Currency,
		Total: o.Total, Paid: o.AmountPaid, Deposit: o.DepositDue,
		ShipsEarliest: o.ShipsEarliest, ShipsLatest: o.ShipsLatest, Tracking: o.TrackingNumber,
	}
	if s := o.Snapshot; s != nil {
		v.ProductName, v.PreviewSVG = s.ProductName, s.PreviewSVG
		for _, sel := range s.Selections {
			name := sel.OptionName
			if sel.Text != "" {
				name = "“" + sel.Text + "”"
			}
			if name == "" {
				name = sel.Option
			}
			v.Selections = append(v.Selections, sel.GroupName+": "+name)
		}
	}
	return v
}
