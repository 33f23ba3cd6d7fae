// Package seed loads the demo catalog: two made-to-order strap models with their option groups,
// compatibility rules, price rules and quantity tiers, published as catalog version 1. Seeding is
// idempotent: a product whose slug exists is left as it is.
package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/optiongroup"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/studio"
)

type productDef struct {
	Slug, Name, Style, Description string
	BasePrice                      int64
	BuildMin, BuildMax             int
	Groups                         []groupDef
	Rules                          []ruleDef
	PriceRules                     []priceRuleDef
	Tiers                          []tierDef
	// RequiresApproval makes orders wait for the customer's approval of a proof.
	RequiresApproval bool
}

type groupDef struct {
	Key, Name, Description, Kind, Role string
	Optional                           bool
	MaxSelect, MaxLength               int
	Allowed, Unit                      string
	NumberMin, NumberMax, NumberStep   int
	Options                            []optionDef
}

type optionDef struct {
	Key, Name     string
	PriceDelta    int64
	LeadDays      int
	Swatch, Asset string
}

type ruleDef struct{ Key, Expr, Message string }

type priceRuleDef struct {
	Label, Condition string
	Amount           int64
}

type tierDef struct{ Min, BasisPoints int }

// Result says what a Run did.
type Result struct {
	// Created are the slugs of the products created.
	Created []string
	// Skipped are the slugs that already existed.
	Skipped []string
}

// Run seeds every demo product that does not exist yet, each in its own transaction.
func Run(ctx context.Context, client *ent.Client, now time.Time) (Result, error) {
	// The audit trail names the seed as the author of the demo catalog.
	// Seeding acts for no caller: it reads drafts to stay idempotent.
	ctx = auth.System(auth.NewContext(ctx, &auth.Viewer{Name: "seed"}))
	var res Result
	for _, def := range products {
		created, err := seedProduct(ctx, client, def, now)
		if err != nil {
			return res, fmt.Errorf("seeding %s: %w", def.Slug, err)
		}
		if created {
			res.Created = append(res.Created, def.Slug)
		} else {
			res.Skipped = append(res.Skipped, def.Slug)
		}
	}
	if _, err := seedZones(ctx, client); err != nil {
		return res, fmt.Errorf("seeding shipping zones: %w", err)
	}
	return res, nil
}

func seedProduct(ctx context.Context, client *ent.Client, def productDef, now time.Time) (bool, error) {
	tx, err := client.Tx(ctx)
	if err != nil {
		return false, fmt.Errorf("starting transaction: %w", err)
	}
	created, err := createProduct(ctx, tx.Client(), def, now)
	if err != nil || !created {
		_ = tx.Rollback()
		return false, err
	}
	if err := tx.Commit(); err != nil {
		// A concurrent seeder won the race for the slug: that is the idempotent outcome.
		if ent.IsConstraintError(err) {
			return false, nil
		}
		return false, fmt.Errorf("committing: %w", err)
	}
	return true, nil
}

func createProduct(ctx context.Context, c *ent.Client, def productDef, now time.Time) (bool, error) {
	exists, err := c.Product.Query().Where(product.Slug(def.Slug)).Exist(ctx)
	if err != nil || exists {
		return false, err
	}
	p, err := c.Product.Create().
		SetSlug(def.Slug).SetName(def.Name).SetStyle(def.Style).SetDescription(def.Description).
		SetCurrency("USD").SetBasePrice(def.BasePrice).
		SetBuildDaysMin(def.BuildMin).SetBuildDaysMax(def.BuildMax).
		SetStatus(product.StatusDraft).SetRequiresApproval(def.RequiresApproval).
		Save(ctx)
	if err != nil {
		if ent.IsConstraintError(err) {
			return false, nil
		}
		return false, fmt.Errorf("creating product: %w", err)
	}
	for i, g := range def.Groups {
		kind := optiongroup.KindSingle
		if g.Kind != "" {
			kind = optiongroup.Kind(g.Kind)
		}
		step := g.NumberStep
		if step == 0 {
			step = 1
		}
		grp, err := c.OptionGroup.Create().
			SetProductID(p.ID).SetKey(g.Key).SetName(g.Name).SetDescription(g.Description).
			SetKind(kind).SetRequired(!g.Optional).SetMaxSelect(g.MaxSelect).
			SetMaxLength(g.MaxLength).SetAllowedCharacters(g.Allowed).
			SetNumberMin(g.NumberMin).SetNumberMax(g.NumberMax).SetNumberStep(step).
			SetUnit(g.Unit).SetPreviewRole(g.Role).SetPosition(i + 1).
			Save(ctx)
		if err != nil {
			return false, fmt.Errorf("creating group %s: %w", g.Key, err)
		}
		bulk := make([]*ent.OptionValueCreate, 0, len(g.Options))
		for j, o := range g.Options {
			bulk = append(bulk, c.OptionValue.Create().
				SetGroupID(grp.ID).SetKey(o.Key).SetName(o.Name).SetPriceDelta(o.PriceDelta).
				SetLeadDays(o.LeadDays).SetSwatch(o.Swatch).SetPreviewAsset(o.Asset).
				SetPosition(j+1))
		}
		if err := c.OptionValue.CreateBulk(bulk...).Exec(ctx); err != nil {
			return false, fmt.Errorf("creating options of %s: %w", g.Key, err)
		}
	}
	for _, r := range def.Rules {
		if err := c.Rule.Create().SetProductID(p.ID).SetKey(r.Key).SetExpression(r.Expr).
			SetMessage(r.Message).Exec(ctx); err != nil {
			return false, fmt.Errorf("creating rule %s: %w", r.Key, err)
		}
	}
	for _, r := range def.PriceRules {
		if err := c.PriceRule.Create().SetProductID(p.ID).SetLabel(r.Label).
			SetCondition(r.Condition).SetAmount(r.Amount).Exec(ctx); err != nil {
			return false, fmt.Errorf("creating price rule %q: %w", r.Label, err)
		}
	}
	for _, t := range def.Tiers {
		if err := c.PriceTier.Create().SetProductID(p.ID).SetMinQuantity(t.Min).
			SetDiscountBasisPoints(t.BasisPoints).Exec(ctx); err != nil {
			return false, fmt.Errorf("creating tier %d: %w", t.Min, err)
		}
	}
	if _, err := studio.Publish(ctx, c, p.ID, "seed", now); err != nil {
		return false, err
	}
	return true, nil
}
