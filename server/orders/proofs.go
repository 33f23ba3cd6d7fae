package orders

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/orderevent"
	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/jobs"
	"github.com/atelier/atelier/server/mail"
	"github.com/atelier/atelier/server/txn"
)

// ProofState is where a proof stands.
type ProofState string

// The states of a proof.
const (
	// ProofPending awaits the customer's answer.
	ProofPending ProofState = "PENDING"
	// ProofApproved was approved by the customer.
	ProofApproved ProofState = "APPROVED"
	// ProofRevisionRequested was answered with a request for a revision.
	ProofRevisionRequested ProofState = "REVISION_REQUESTED"
	// ProofSuperseded was replaced by a newer proof before the customer answered it.
	ProofSuperseded ProofState = "SUPERSEDED"
)

// Proof is one proof of the design the workshop sent, with the customer's answer.
type Proof struct {
	// Event is the PROOF event: number, note, sender, time and the design shown.
	Event *ent.OrderEvent
	// State is where the proof stands.
	State ProofState
	// Decision is the customer's answer (APPROVED or REVISION_REQUESTED event), if any.
	Decision *ent.OrderEvent
}

// Proofs lays an order's timeline out as its proofs, oldest first. Pure: events in any order.
func Proofs(events []*ent.OrderEvent) []Proof {
	var out []Proof
	byNumber := map[int]int{}
	for _, e := range sortedBySeq(events) {
		switch {
		case e.Kind == orderevent.KindProof:
			if n := len(out); n > 0 && out[n-1].State == ProofPending {
				out[n-1].State = ProofSuperseded
			}
			byNumber[e.ProofNumber] = len(out)
			out = append(out, Proof{Event: e, State: ProofPending})
		case e.Kind == orderevent.KindStatus && e.ProofNumber > 0:
			i, ok := byNumber[e.ProofNumber]
			if !ok {
				continue
			}
			switch e.Status {
			case orderevent.StatusApproved:
				out[i].State, out[i].Decision = ProofApproved, e
			case orderevent.StatusRevisionRequested:
				out[i].State, out[i].Decision = ProofRevisionRequested, e
			}
		}
	}
	return out
}

func sortedBySeq(events []*ent.OrderEvent) []*ent.OrderEvent {
	out := slices.Clone(events)
	slices.SortFunc(out, func(a, b *ent.OrderEvent) int { return cmp.Compare(a.Seq, b.Seq) })
	return out
}

// ProofEvents returns the events of order id that make its proofs (PROOF events and the
// answers), in seq order, as ctx's viewer may read them.
func (s *Service) ProofEvents(ctx context.Context, id int) ([]*ent.OrderEvent, error) {
	return s.client.OrderEvent.Query().
		Where(orderevent.HasOrderWith(order.ID(id)), orderevent.ProofNumberGT(0)).
		Order(ent.Asc(orderevent.FieldSeq)).
		All(ctx)
}

// checkNote trims a note and checks its length; need makes an empty note an error.
func checkNote(note string, need bool, what string) (string, error) {
	note = strings.TrimSpace(note)
	switch {
	case !printable(strings.ReplaceAll(strings.ReplaceAll(note, "\n", " "), "\r", " ")):
		return "", fault.BadInput("note", "the note must not contain control characters")
	case need && note == "":
		return "", fault.BadInput("note", "say what should change: %s needs a note", what)
	case utf8.RuneCountInString(note) > 1000:
		return "", fault.BadInput("note", "the note is limited to 1000 characters")
	}
	return note, nil
}

// SendProof sends the customer a proof of the design as ordered, with the workshop's note: the
// order enters PROOF_SENT and the customer is emailed. A proof may answer a revision request or
// replace a proof not yet answered.
func (s *Service) SendProof(ctx context.Context, orderID int, note, actor string, photoIDs []int) (*ent.Order, *ent.OrderEvent, error) {
	note, err := checkNote(note, false, "a proof")
	if err != nil {
		return nil, nil, err
	}
	if err := checkPhotoCount(photoIDs); err != nil {
		return nil, nil, err
	}
	return s.step(ctx, orderID, photoIDs, func(ctx context.Context, tx *ent.Client, sqlTx *sql.Tx, cur *ent.Order) (*ent.OrderEventCreate, error) {
		if !cur.RequiresApproval {
			return nil, fault.BadInput("orderId", "order %s needs no approval: its product did not "+
				"ask for one when it was ordered", cur.Number)
		}
		if !CanMove(cur.Status, order.StatusProofSent, true) {
			return nil, fault.BadInput("orderId", "an order %s cannot be sent a proof; allowed next: %s",
				cur.Status, describeNext(cur.Status, true)).With("allowed", Next(cur.Status, true))
		}
		last, err := tx.OrderEvent.Query().
			Where(orderevent.HasOrderWith(order.ID(cur.ID)), orderevent.KindEQ(orderevent.KindProof)).
			Count(ctx)
		if err != nil {
			return nil, fmt.Errorf("counting proofs: %w", err)
		}
		if err := s.enqueue(ctx, sqlTx, jobs.Email{Template: mail.ProofSent, OrderID: cur.ID,
			Note: note, Proof: last + 1}); err != nil {
			return nil, err
		}
		return tx.OrderEvent.Create().
			SetStatus(orderevent.StatusProofSent).SetKind(orderevent.KindProof).
			SetProofNumber(last + 1).SetPreviewSvg(cur.Snapshot.PreviewSVG).
			SetNote(note).SetActor(actor), nil
	})
}

// DecideInput is the customer's answer to a proof.
type DecideInput struct {
	OrderID int
	// ProofID is the PROOF event answered (0: the current proof).
	ProofID int
	// Approve approves the proof; otherwise the customer asks for a revision with Note.
	Approve bool
	Note    string
}

// Decide records the customer's answer to the current proof: APPROVED lets production start,
// REVISION_REQUESTED asks the workshop for a new proof. Answering a proof a newer one replaced,
// or one already answered, is a CONFLICT. The caller checks the viewer is the order's customer.
func (s *Service) Decide(ctx context.Context, in DecideInput) (*ent.Order, *ent.OrderEvent, error) {
	note, err := checkNote(in.Note, !in.Approve, "a revision request")
	if err != nil {
		return nil, nil, err
	}
	to := order.StatusApproved
	if !in.Approve {
		to = order.StatusRevisionRequested
	}
	return s.step(ctx, in.OrderID, nil, func(ctx context.Context, tx *ent.Client, sqlTx *sql.Tx, cur *ent.Order) (*ent.OrderEventCreate, error) {
		if !cur.RequiresApproval {
			return nil, fault.BadInput("orderId", "order %s needs no approval", cur.Number)
		}
		evs, err := tx.OrderEvent.Query().
			Where(orderevent.HasOrderWith(order.ID(cur.ID)), orderevent.ProofNumberGT(0)).
			Order(ent.Asc(orderevent.FieldSeq)).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("loading proofs: %w", err)
		}
		proofs := Proofs(evs)
		if len(proofs) == 0 {
			return nil, fault.BadInput("orderId", "no proof has been sent yet")
		}
		latest := proofs[len(proofs)-1]
		if in.ProofID != 0 && in.ProofID != latest.Event.ID {
			if !containsProof(proofs, in.ProofID) {
				return nil, fault.New(fault.NotFound, "no proof %d on this order", in.ProofID)
			}
			return nil, fault.New(fault.Conflict, "a newer proof (no. %d) replaces this one: "+
				"review it and answer that one", latest.Event.ProofNumber).
				With("currentProofId", fmt.Sprint(latest.Event.ID))
		}
		if latest.State != ProofPending || !CanMove(cur.Status, to, true) {
			return nil, fault.New(fault.Conflict, "proof no. %d awaits no answer: the order is %s",
				latest.Event.ProofNumber, cur.Status)
		}
		if err := s.enqueue(ctx, sqlTx, jobs.Email{Template: mail.WorkshopProofAnswered,
			OrderID: cur.ID, Status: string(to), Note: note, Proof: latest.Event.ProofNumber}); err != nil {
			return nil, err
		}
		return tx.OrderEvent.Create().
			SetStatus(orderevent.Status(to)).SetProofNumber(latest.Event.ProofNumber).
			SetNote(note).SetActor("customer"), nil
	})
}

func containsProof(proofs []Proof, id int) bool {
	for _, p := range proofs {
		if p.Event.ID == id {
			return true
		}
	}
	return false
}

// stepFunc checks a step against the order as it stands in the transaction, enqueues what it
// sends, and returns the event to record (order, seq, time and status are set by step).
type stepFunc func(ctx context.Context, tx *ent.Client, sqlTx *sql.Tx, cur *ent.Order) (*ent.OrderEventCreate, error)

// step records the event f returns (with photoIDs, uploaded before, on it) and moves the order
// to its status, in one transaction with a conditional update (a concurrent step makes it a
// CONFLICT); it re-estimates the ship window, except for the workshop's news (UPDATE), and
// publishes the event after the commit.
func (s *Service) step(ctx context.Context, orderID int, photoIDs []int, f stepFunc) (*ent.Order, *ent.OrderEvent, error) {
	var (
		o  *ent.Order
		ev *ent.OrderEvent
	)
	err := txn.RunSQL(ctx, s.client, func(tx *ent.Client, sqlTx *sql.Tx) error {
		cur, err := tx.Order.Get(ctx, orderID)
		if ent.IsNotFound(err) {
			return fault.New(fault.NotFound, "no order %d", orderID)
		}
		if err != nil {
			return err
		}
		create, err := f(ctx, tx, sqlTx, cur)
		if err != nil {
			return err
		}
		st, _ := create.Mutation().Status()
		to := order.Status(st)
		now := s.now()
		seq := cur.LastSeq + 1
		upd := tx.Order.Update().
			Where(order.ID(cur.ID), order.LastSeq(cur.LastSeq), order.StatusEQ(cur.Status)).
			SetStatus(to).SetLastSeq(seq).SetUpdatedAt(now)
		if kind, _ := create.Mutation().Kind(); kind != orderevent.KindUpdate {
			// News from the workshop (an UPDATE) does not move the build or its dates.
			s.reestimate(upd, cur, to, now)
		}
		n, err := upd.Save(ctx)
		if err != nil {
			return fmt.Errorf("updating order: %w", err)
		}
		if n == 0 {
			return fault.New(fault.Conflict, "the order changed meanwhile: reload it and try again")
		}
		if ev, err = create.SetOrderID(cur.ID).SetSeq(seq).SetAt(now).Save(ctx); err != nil {
			return fmt.Errorf("recording order event: %w", err)
		}
		if err := AttachPhotos(ctx, tx, cur.ID, ev.ID, photoIDs); err != nil {
			return err
		}
		o, err = tx.Order.Get(ctx, cur.ID)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	s.bus.Publish(ctx, o.ID, ev)
	return o, ev, nil
}
