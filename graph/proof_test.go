package graph_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/server/testutil"
)

const proofFields = `id number note previewSvg sentBy sentAt state answer { status note actor proofNumber }
  event { seq kind status proofNumber }`

type proofView struct {
	ID, Note, PreviewSVG, SentBy, State string
	Number                              int
	Answer                              *struct {
		Status, Note, Actor string
		ProofNumber         int
	}
	Event struct {
		Seq          int
		Kind, Status string
		ProofNumber  int
	}
}

const approvalFields = `id status requiresApproval awaitingApproval proofDue allowedTransitions previewSvg
  proofs { ` + proofFields + ` } currentProof { id number state }
  events { seq status kind note actor proofNumber }`

type approvalView struct {
	ID, Status, PreviewSVG             string
	RequiresApproval, AwaitingApproval bool
	ProofDue                           bool
	AllowedTransitions                 []string
	Proofs                             []proofView
	CurrentProof                       *struct {
		ID, State string
		Number    int
	}
	Events []struct {
		Seq                       int
		Status, Kind, Note, Actor string
		ProofNumber               int
	}
}

const (
	sendProofOp = `mutation($in: SendProofInput!) { sendProof(input: $in) {
  order { ` + approvalFields + ` } proof { ` + proofFields + ` } } }`
	approveOp = `mutation($in: ApproveProofInput!) { approveProof(input: $in) {
  order { ` + approvalFields + ` } proof { ` + proofFields + ` } } }`
	reviseOp = `mutation($in: RequestRevisionInput!) { requestRevision(input: $in) {
  order { ` + approvalFields + ` } proof { ` + proofFields + ` } } }`
	advanceOp2 = `mutation($in: AdvanceOrderInput!) { advanceOrder(input: $in) { order { status } } }`
)

func readApproval(t *testing.T, s *stack, id string, headers ...string) approvalView {
	t.Helper()
	var out struct{ Order approvalView }
	s.must(t, `query($id: ID!) { order(id: $id) { `+approvalFields+` } }`, vars("id", id), &out, headers...)
	return out.Order
}

func sendProof(t *testing.T, s *stack, workshop, orderID, note string) (approvalView, proofView) {
	t.Helper()
	var out struct {
		SendProof struct {
			Order approvalView
			Proof proofView
		}
	}
	s.must(t, sendProofOp, vars("in", map[string]any{"orderId": orderID, "note": note}), &out, bearer(workshop)...)
	return out.SendProof.Order, out.SendProof.Proof
}

// TestDesignApprovalLoop runs proof → revision → new proof → approval → MATERIALS over the wire,
// with the refusals on the way, the live timeline and the emails.
func TestDesignApprovalLoop(t *testing.T) {
	t.Parallel()
	s := startMoneyStack(t, false)
	workshop := staffToken(t, s.stack, stafftoken.RoleWorkshop)
	p := place(t, s.stack, completeConfiguration(t, s.stack, "atelier-dress", 21), "approval-key-001")
	customer := bearer(p.OrderToken)
	o := readApproval(t, s.stack, p.Order.ID, customer...)
	require.True(t, o.RequiresApproval, "the product asks for approval: the order froze it")
	assert.False(t, o.ProofDue, "no proof before the deposit")
	assert.Empty(t, o.Proofs)
	assert.Nil(t, o.CurrentProof)

	e := s.fail(t, sendProofOp, vars("in", map[string]any{"orderId": p.Order.ID}), bearer(workshop)...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Contains(t, e.Message, "allowed next: CONFIRMED, CANCELLED")

	pay(t, s.stack, workshop, p.Order.ID, p.Order.DepositDue.Amount)
	o = readApproval(t, s.stack, p.Order.ID, bearer(workshop)...)
	assert.Equal(t, "CONFIRMED", o.Status)
	assert.True(t, o.ProofDue)
	assert.Equal(t, []string{"CANCELLED"}, o.AllowedTransitions, "advanceOrder cannot skip the proof")

	// Production cannot start before approval; the error names the way forward.
	e = s.fail(t, advanceOp2, vars("in", map[string]any{"orderId": p.Order.ID, "to": "MATERIALS"}), bearer(workshop)...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Contains(t, e.Message, "before the customer approves a proof")
	assert.Contains(t, e.Message, "allowed next: PROOF_SENT (sendProof), CANCELLED")
	e = s.fail(t, advanceOp2, vars("in", map[string]any{"orderId": p.Order.ID, "to": "PROOF_SENT"}), bearer(workshop)...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Contains(t, e.Message, "sendProof")
	e = s.fail(t, approveOp, vars("in", map[string]any{"orderId": p.Order.ID}), customer...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Contains(t, e.Message, "no proof has been sent yet")
	e = s.fail(t, sendProofOp, vars("in", map[string]any{"orderId": p.Order.ID}), customer...)
	assert.Equal(t, "FORBIDDEN", e.Extensions["code"], "the customer sends no proof")

	// Proof 1.
	o, first := sendProof(t, s.stack, workshop, p.Order.ID, "Initials centred on the keeper")
	assert.Equal(t, "PROOF_SENT", o.Status)
	assert.True(t, o.AwaitingApproval)
	assert.False(t, o.ProofDue)
	assert.Equal(t, 1, first.Number)
	assert.Equal(t, "PENDING", first.State)
	assert.Equal(t, "Initials centred on the keeper", first.Note)
	assert.Equal(t, "Test WORKSHOP", first.SentBy)
	assert.Equal(t, o.PreviewSVG, first.PreviewSVG, "the proof shows the design as ordered")
	assert.Contains(t, first.PreviewSVG, "<svg")
	assert.Equal(t, "PROOF", first.Event.Kind)

	// Nobody decides for the customer, and production still waits.
	for _, op := range []string{approveOp, reviseOp} {
		in := map[string]any{"orderId": p.Order.ID, "note": "x"}
		if op == approveOp {
			delete(in, "note")
		}
		e = s.fail(t, op, vars("in", in), bearer(workshop)...)
		assert.Equal(t, "FORBIDDEN", e.Extensions["code"], "staff cannot answer: %s", e.Message)
		e = s.fail(t, op, vars("in", in))
		assert.Equal(t, "UNAUTHENTICATED", e.Extensions["code"])
	}
	e = s.fail(t, advanceOp2, vars("in", map[string]any{"orderId": p.Order.ID, "to": "APPROVED"}), bearer(workshop)...)
	assert.Equal(t, "FORBIDDEN", e.Extensions["code"], "advanceOrder cannot approve either")
	e = s.fail(t, advanceOp2, vars("in", map[string]any{"orderId": p.Order.ID, "to": "MATERIALS"}), bearer(workshop)...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Contains(t, e.Message, "allowed next: APPROVED (approveProof), REVISION_REQUESTED (requestRevision), "+
		"PROOF_SENT (sendProof), CANCELLED")

	// A revision needs a note.
	e = s.fail(t, reviseOp, vars("in", map[string]any{"orderId": p.Order.ID, "note": "  "}), customer...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])

	var rev struct {
		RequestRevision struct {
			Order approvalView
			Proof proofView
		}
	}
	s.must(t, reviseOp, vars("in", map[string]any{"orderId": p.Order.ID, "proofId": first.ID,
		"note": "Smaller initials, please"}), &rev, customer...)
	assert.Equal(t, "REVISION_REQUESTED", rev.RequestRevision.Order.Status)
	assert.True(t, rev.RequestRevision.Order.ProofDue)
	assert.Equal(t, "REVISION_REQUESTED", rev.RequestRevision.Proof.State)
	require.NotNil(t, rev.RequestRevision.Proof.Answer)
	assert.Equal(t, "customer", rev.RequestRevision.Proof.Answer.Actor)
	assert.Equal(t, "Smaller initials, please", rev.RequestRevision.Proof.Answer.Note)
	e = s.fail(t, approveOp, vars("in", map[string]any{"orderId": p.Order.ID, "proofId": first.ID}), customer...)
	assert.Equal(t, "CONFLICT", e.Extensions["code"], "proof 1 is answered already")

	// The next proof reaches the customer's live timeline.
	ws := s.ws(t, map[string]any{"authorization": "Bearer " + p.OrderToken})
	last := rev.RequestRevision.Order.Events[len(rev.RequestRevision.Order.Events)-1].Seq
	ws.Subscribe("1", `subscription($id: ID!, $after: Int) { orderEvents(orderId: $id, after: $after) {
	  seq kind status note proofNumber } }`, vars("id", p.Order.ID, "after", last))
	_, second := sendProof(t, s.stack, workshop, p.Order.ID, "Initials at 3 mm")
	assert.Equal(t, 2, second.Number)
	var live struct {
		OrderEvents struct {
			Seq          int
			Kind, Status string
			Note         string
			ProofNumber  int
		}
	}
	ws.nextData("1", &live)
	assert.Equal(t, last+1, live.OrderEvents.Seq)
	assert.Equal(t, "PROOF", live.OrderEvents.Kind)
	assert.Equal(t, 2, live.OrderEvents.ProofNumber)
	assert.Equal(t, "Initials at 3 mm", live.OrderEvents.Note)

	// A stale proof cannot be approved.
	e = s.fail(t, approveOp, vars("in", map[string]any{"orderId": p.Order.ID, "proofId": first.ID}), customer...)
	assert.Equal(t, "CONFLICT", e.Extensions["code"])
	assert.Contains(t, e.Message, "a newer proof (no. 2)")
	e = s.fail(t, approveOp, vars("in", map[string]any{"orderId": p.Order.ID, "proofId": "999999"}), customer...)
	assert.Equal(t, "NOT_FOUND", e.Extensions["code"])

	var ok struct {
		ApproveProof struct {
			Order approvalView
			Proof proofView
		}
	}
	s.must(t, approveOp, vars("in", map[string]any{"orderId": p.Order.ID, "proofId": second.ID}), &ok, customer...)
	assert.Equal(t, "APPROVED", ok.ApproveProof.Order.Status)
	assert.Equal(t, "APPROVED", ok.ApproveProof.Proof.State)
	assert.Equal(t, []string{"MATERIALS", "CANCELLED"}, ok.ApproveProof.Order.AllowedTransitions)
	e = s.fail(t, approveOp, vars("in", map[string]any{"orderId": p.Order.ID}), customer...)
	assert.Equal(t, "CONFLICT", e.Extensions["code"], "approving twice")

	advance(t, s.stack, workshop, p.Order.ID, "MATERIALS")
	o = readApproval(t, s.stack, p.Order.ID, customer...)
	want := []string{"PLACED STATUS", "PLACED PAYMENT", "CONFIRMED STATUS", "PROOF_SENT PROOF",
		"REVISION_REQUESTED STATUS", "PROOF_SENT PROOF", "APPROVED STATUS", "MATERIALS STATUS"}
	require.Len(t, o.Events, len(want))
	for i, ev := range o.Events {
		assert.Equal(t, want[i], ev.Status+" "+ev.Kind, "event %d", i+1)
	}
	// Who did what: the workshop sent the proofs, the customer answered them.
	for _, i := range []int{3, 5, 7} {
		assert.Equal(t, "Test WORKSHOP", o.Events[i].Actor, "event %d", i+1)
	}
	for _, i := range []int{4, 6} {
		assert.Equal(t, "customer", o.Events[i].Actor, "event %d", i+1)
	}
	assert.Equal(t, []int{1, 1, 2, 2}, []int{o.Events[3].ProofNumber, o.Events[4].ProofNumber,
		o.Events[5].ProofNumber, o.Events[6].ProofNumber})
	assert.Equal(t, "Smaller initials, please", o.Events[4].Note)
	require.Len(t, o.Proofs, 2)
	assert.Equal(t, []string{"REVISION_REQUESTED", "APPROVED"}, []string{o.Proofs[0].State, o.Proofs[1].State})
	assert.Equal(t, 2, o.CurrentProof.Number)

	// Emails: each proof to the customer with the link to answer; each answer to the workshop.
	var proofs, answers []string
	testutil.Eventually(t, 30*time.Second, func() bool {
		msgs := s.mail.Messages()
		proofs = subjects(mailTo(msgs, "ada@example.com", "please approve your design"))
		answers = subjects(mailTo(msgs, "workshop@atelier.example", "proof"))
		return len(proofs) == 2 && len(answers) == 2
	}, "the proof emails")
	assert.Len(t, mailTo(s.mail.Messages(), "ada@example.com", "(proof 1)"), 1)
	assert.Len(t, mailTo(s.mail.Messages(), "workshop@atelier.example", "asks for a revision of proof 1"), 1)
	assert.Len(t, mailTo(s.mail.Messages(), "workshop@atelier.example", "approved proof 2"), 1)
	msg := s.mail.Message(mailTo(s.mail.Messages(), "ada@example.com", "(proof 2)")[0].ID)
	assert.Contains(t, msg.Text, "A note from the workshop: Initials at 3 mm")
	assert.Regexp(t, linkPattern, msg.Text)
}

// subjects lists the subjects of messages.
func subjects(msgs []testutil.MailSummary) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.Subject
	}
	return out
}

// TestProofIsTheCustomersAlone: another customer's token neither sees nor answers the proof.
func TestProofIsTheCustomersAlone(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	workshop := staffToken(t, s, stafftoken.RoleWorkshop)
	mine := place(t, s, completeConfiguration(t, s, "atelier-dress", 31), "approval-mine-01")
	other := place(t, s, completeConfiguration(t, s, "atelier-dress", 32), "approval-other-1")
	pay(t, s, workshop, mine.Order.ID, mine.Order.DepositDue.Amount)
	_, pr := sendProof(t, s, workshop, mine.Order.ID, "Proof for the first customer")

	e := s.fail(t, `query($id: ID!) { order(id: $id) { currentProof { note } } }`, vars("id", mine.Order.ID),
		bearer(other.OrderToken)...)
	assert.Equal(t, "FORBIDDEN", e.Extensions["code"])
	e = s.fail(t, approveOp, vars("in", map[string]any{"orderId": mine.Order.ID}), bearer(other.OrderToken)...)
	assert.Equal(t, "FORBIDDEN", e.Extensions["code"])
	e = s.fail(t, reviseOp, vars("in", map[string]any{"orderId": mine.Order.ID, "note": "mine now"}),
		bearer(other.OrderToken)...)
	assert.Equal(t, "FORBIDDEN", e.Extensions["code"])
	// Its own order has no such proof: another order's proof id names nothing there.
	pay(t, s, workshop, other.Order.ID, other.Order.DepositDue.Amount)
	sendProof(t, s, workshop, other.Order.ID, "")
	e = s.fail(t, approveOp, vars("in", map[string]any{"orderId": other.Order.ID, "proofId": pr.ID}),
		bearer(other.OrderToken)...)
	assert.Equal(t, "NOT_FOUND", e.Extensions["code"])

	o := readApproval(t, s, mine.Order.ID, bearer(mine.OrderToken)...)
	assert.Equal(t, "PROOF_SENT", o.Status, "nothing changed")
	assert.Equal(t, "PENDING", o.CurrentProof.State)
}

// TestOrdersPlacedBeforeApprovalKeepTheirPath: an order placed before requires_approval existed
// gets false from the migration and goes CONFIRMED → MATERIALS, whatever its product says now.
func TestOrdersPlacedBeforeApprovalKeepTheirPath(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s1 := startStack(t, b, b.Redis.URL)
	workshop := staffToken(t, s1, stafftoken.RoleWorkshop)
	p := place(t, s1, completeConfiguration(t, s1, "atelier-dress", 41), "approval-old-001")
	pay(t, s1, workshop, p.Order.ID, p.Order.DepositDue.Amount)
	// Back to the schema of before: the column is gone, as in a database of the previous release.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := s1.App.DB.SQL.ExecContext(ctx, "ALTER TABLE orders DROP COLUMN "+order.FieldRequiresApproval)
	require.NoError(t, err)
	s1.Stop()

	s2 := startStack(t, b, b.Redis.URL) // auto-migration adds the column back
	o := readApproval(t, s2, p.Order.ID, bearer(workshop)...)
	assert.False(t, o.RequiresApproval)
	assert.False(t, o.ProofDue)
	assert.Equal(t, []string{"MATERIALS", "CANCELLED"}, o.AllowedTransitions)
	advance(t, s2, workshop, p.Order.ID, "MATERIALS")
	e := s2.fail(t, sendProofOp, vars("in", map[string]any{"orderId": p.Order.ID}), bearer(workshop)...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Contains(t, e.Message, "needs no approval")
}

// TestDesignersChooseWhichProductsNeedApproval: the designer's flag on a product applies to the
// orders placed after it, which freeze it; orders placed before keep their path.
func TestDesignersChooseWhichProductsNeedApproval(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	designer := bearer(staffToken(t, s, stafftoken.RoleDesigner))
	workshop := staffToken(t, s, stafftoken.RoleWorkshop)
	before := place(t, s, completeConfiguration(t, s, "heritage-sport", 51), "approval-flag-01")

	var out struct {
		UpdateProduct struct {
			Product struct{ RequiresApproval bool }
		}
	}
	s.must(t, `mutation($id: ID!) { updateProduct(id: $id, input: {requiresApproval: true}) {
	  product { requiresApproval } } }`, vars("id", productID(t, s, "heritage-sport")), &out, designer...)
	require.True(t, out.UpdateProduct.Product.RequiresApproval)
	e := s.fail(t, `mutation($id: ID!) { updateProduct(id: $id, input: {requiresApproval: false}) { product { id } } }`,
		vars("id", productID(t, s, "heritage-sport")), bearer(workshop)...)
	assert.Equal(t, "FORBIDDEN", e.Extensions["code"])

	after := place(t, s, completeConfiguration(t, s, "heritage-sport", 52), "approval-flag-02")
	assert.False(t, readApproval(t, s, before.Order.ID, bearer(workshop)...).RequiresApproval)
	assert.True(t, readApproval(t, s, after.Order.ID, bearer(workshop)...).RequiresApproval)
	pay(t, s, workshop, before.Order.ID, before.Order.DepositDue.Amount)
	advance(t, s, workshop, before.Order.ID, "MATERIALS")
}
