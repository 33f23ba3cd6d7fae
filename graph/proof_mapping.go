package graph

import (
	"context"
	"strconv"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/graph/model"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/orders"
)

// proof maps a proof of the design.
func proof(p orders.Proof) *model.Proof {
	e := p.Event
	return &model.Proof{
		ID: strconv.Itoa(e.ID), Number: e.ProofNumber, Note: e.Note, PreviewSVG: e.PreviewSvg,
		SentBy: e.Actor, SentAt: e.At, State: model.ProofState(p.State), Answer: p.Decision, Event: e,
	}
}

// proofs maps the proofs of o, for the viewers who read its timeline.
func (r *orderResolver) proofs(ctx context.Context, o *ent.Order) ([]*model.Proof, error) {
	if !o.RequiresApproval {
		return []*model.Proof{}, nil
	}
	if err := orderReadable(ctx, o, "proofs"); err != nil {
		return nil, err
	}
	evs, err := r.orders.ProofEvents(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	ps := orders.Proofs(evs)
	out := make([]*model.Proof, len(ps))
	for i, p := range ps {
		out[i] = proof(p)
	}
	return out, nil
}

// decide records the customer's answer to a proof: only the order's own token may give it.
func (r *mutationResolver) decide(ctx context.Context, orderID string, proofID *string, approve bool,
	note string,
) (*ent.Order, *model.Proof, error) {
	id, err := entID(orderID)
	if err != nil {
		return nil, nil, err
	}
	if _, err := auth.RequireCustomer(ctx, id); err != nil {
		return nil, nil, err
	}
	in := orders.DecideInput{OrderID: id, Approve: approve, Note: note}
	if proofID != nil {
		if in.ProofID, err = entID(*proofID); err != nil {
			return nil, nil, err
		}
	}
	o, _, err := r.orders.Decide(ctx, in)
	if err != nil {
		return nil, nil, err
	}
	ps, err := r.orders.ProofEvents(ctx, o.ID)
	if err != nil {
		return nil, nil, err
	}
	all := orders.Proofs(ps)
	return o, proof(all[len(all)-1]), nil
}
