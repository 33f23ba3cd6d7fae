package graph

import (
	"context"
	"encoding/json"

	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/graph/model"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/engine"
	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/pageview"
	"github.com/atelier/atelier/server/studio"
)

// designer requires a DESIGNER viewer.
func (r *Resolver) designer(ctx context.Context) error {
	_, err := auth.RequireRole(ctx, stafftoken.RoleDesigner)
	return err
}

// designerID requires a DESIGNER viewer and parses a record id.
func (r *Resolver) designerID(ctx context.Context, id string) (int, error) {
	if err := r.designer(ctx); err != nil {
		return 0, err
	}
	return entID(id)
}

// catalogFor returns the compiled catalog designers and the compatibility query ask about: the
// published one, or the draft (DESIGNER only, as is every query with designerOnly).
func (r *Resolver) catalogFor(ctx context.Context, productID string, draft *bool, designerOnly bool) (*pageview.Published, error) {
	wantDraft := draft != nil && *draft
	if designerOnly || wantDraft {
		if err := r.designer(ctx); err != nil {
			return nil, err
		}
	}
	pid, err := entID(productID)
	if err != nil {
		return nil, err
	}
	if wantDraft {
		return studio.CompileDraft(ctx, r.client, pid)
	}
	p, err := r.client.Product.Get(ctx, pid)
	if err != nil {
		return nil, err
	}
	// A DRAFT product is NOT_FOUND above for all but DESIGNER (ProductPolicy).
	if p.CatalogVersion == 0 {
		return nil, fault.New(fault.NotFound, "%s has no published catalog", p.Name)
	}
	return r.studio.Compiled(ctx, p.ID, p.CatalogVersion)
}

func choiceInputs(in []*model.SelectionInput) []pageview.Choice {
	out := make([]pageview.Choice, 0, len(in))
	for _, s := range in {
		out = append(out, pageview.Choice{Group: s.Group, Option: deref(s.Option), Text: deref(s.Text)})
	}
	return out
}

func compatibilityModel(cat *pageview.Published, v *pageview.View) *model.Compatibility {
	return &model.Compatibility{
		Complete: v.Complete, Valid: v.Valid, Completions: v.Completions,
		Groups: groupModels(v, cat.Snap),
	}
}

func explanationModel(e *pageview.Explanation) *model.Explanation {
	out := &model.Explanation{
		State:      optionStates[e.State],
		Selections: selectionModels(e.Selections),
		Rules:      []*model.RuleReason{},
		Fix:        []*model.SelectionChange{},
	}
	for _, r := range e.Rules {
		out.Rules = append(out.Rules, &model.RuleReason{Key: r.ID, Message: r.Message})
	}
	for _, c := range e.Fix {
		out.Fix = append(out.Fix, &model.SelectionChange{Group: c.Group, From: optional(c.From), To: optional(c.To), Message: c.Message})
	}
	return out
}

func lintFindings(fs []engine.Finding) []*model.LintFinding {
	out := make([]*model.LintFinding, 0, len(fs))
	for _, f := range fs {
		sev := model.LintSeverityWarning
		if f.Severity == engine.SeverityError {
			sev = model.LintSeverityError
		}
		out = append(out, &model.LintFinding{
			Severity: sev, Code: f.Code, Message: f.Message,
			Group: optional(f.Group), Option: optional(f.Option), Rule: optional(f.RuleID),
		})
	}
	return out
}

func impactModel(imp *engine.Impact) *model.RuleImpact {
	out := &model.RuleImpact{
		CountBefore: imp.CountBefore.String(), CountAfter: imp.CountAfter.String(),
		Changes: []*model.AvailabilityChange{},
	}
	for _, c := range imp.Changes {
		out.Changes = append(out.Changes, &model.AvailabilityChange{
			Group: c.Group, Option: c.Option, Before: optionStates[c.Before], After: optionStates[c.After],
		})
	}
	return out
}

func rawJSON(m json.RawMessage) *string {
	if len(m) == 0 {
		return nil
	}
	s := string(m)
	return &s
}

// diffEntries maps a draft's differences; only CHANGED entries name a field and values.
func diffEntries(changes []catalog.Change) []*model.CatalogDiffEntry {
	out := make([]*model.CatalogDiffEntry, len(changes))
	for i, c := range changes {
		e := &model.CatalogDiffEntry{
			Action: model.CatalogDiffAction(c.Action), Entity: c.Entity, Key: c.Key,
		}
		if c.Action == catalog.Changed {
			e.Field, e.Before, e.After = &c.Field, &c.Before, &c.After
		}
		out[i] = e
	}
	return out
}
