// Package studio is where catalogs are shaped: it turns a product's draft rows into a published,
// immutable catalog snapshot and serves published snapshots to the rest of the server.
package studio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/catalogversion"
	"github.com/atelier/atelier/ent/optiongroup"
	"github.com/atelier/atelier/ent/optionvalue"
	"github.com/atelier/atelier/ent/pricerule"
	"github.com/atelier/atelier/ent/pricetier"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/ent/rule"
	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/engine"
	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/pageview"
	"github.com/atelier/atelier/server/txn"
)

// ErrNotPublished is returned for a product that has no published catalog yet.
var ErrNotPublished = errors.New("product has no published catalog")

// Store reads published catalog snapshots and compiles them. They are immutable, so each is
// loaded from the database and compiled once per process and kept.
type Store struct {
	client   *ent.Client
	mu       sync.RWMutex
	cache    map[versionKey]*catalog.Snapshot
	compiled map[versionKey]*compileOnce
}

type versionKey struct{ product, version int }

type compileOnce struct {
	once sync.Once
	cat  *pageview.Published
	err  error
}

// NewStore returns a Store reading through client.
func NewStore(client *ent.Client) *Store {
	return &Store{
		client:   client,
		cache:    make(map[versionKey]*catalog.Snapshot),
		compiled: make(map[versionKey]*compileOnce),
	}
}

// Compiled returns the compiled catalog (productID, version), compiling it once per process.
func (s *Store) Compiled(ctx context.Context, productID, version int) (*pageview.Published, error) {
	key := versionKey{productID, version}
	s.mu.Lock()
	c, ok := s.compiled[key]
	if !ok {
		c = &compileOnce{}
		s.compiled[key] = c
	}
	s.mu.Unlock()
	c.once.Do(func() {
		snap, err := s.Snapshot(ctx, productID, version)
		if err != nil {
			c.err = err
			return
		}
		c.cat, c.err = pageview.Compile(snap)
	})
	if c.err != nil {
		// A failed load (e.g. the database was briefly away) is retried on the next call.
		s.mu.Lock()
		delete(s.compiled, key)
		s.mu.Unlock()
		return nil, c.err
	}
	return c.cat, nil
}

// CompileDraft compiles the current draft of productID (not cached: drafts change).
func CompileDraft(ctx context.Context, client *ent.Client, productID int) (*pageview.Published, error) {
	snap, err := BuildSnapshot(ctx, client, productID)
	if err != nil {
		return nil, err
	}
	cat, err := pageview.Compile(snap)
	if err != nil {
		return nil, fault.Wrap(fault.BadUserInput, err, "the draft catalog does not compile: %v", err)
	}
	return cat, nil
}

// DraftRuleImpact is what expression would change in productID's draft in place of the draft
// rule replacing (0: added as a new rule). The baseline is the draft without that rule, so an
// edited rule is measured against the catalog it would change, not against its own old self.
func DraftRuleImpact(ctx context.Context, client *ent.Client, productID, replacing int,
	expression string,
) (*engine.Impact, error) {
	if err := ValidateExpression("expression", expression); err != nil {
		return nil, err
	}
	snap, err := BuildSnapshot(ctx, client, productID)
	if err != nil {
		return nil, err
	}
	if replacing != 0 {
		ok, err := client.Rule.Query().
			Where(rule.ID(replacing), rule.HasProductWith(product.ID(productID))).Exist(ctx)
		if err != nil {
			return nil, fmt.Errorf("loading rule: %w", err)
		}
		if !ok {
			return nil, fault.New(fault.NotFound, "no rule %d in this product's draft", replacing)
		}
		// A disabled rule is not in the snapshot: the baseline is then the draft as it is.
		snap.Rules = slices.DeleteFunc(snap.Rules, func(r catalog.Rule) bool { return r.ID == replacing })
	}
	cat, err := pageview.Compile(snap)
	if err != nil {
		return nil, fault.Wrap(fault.BadUserInput, err, "the draft catalog does not compile: %v", err)
	}
	imp, err := cat.Engine.Impact(engine.Rule{
		ID: "proposed", Expr: expression, Message: "proposed rule",
	})
	if err != nil {
		return nil, fault.BadInput("expression", "%v", err)
	}
	return imp, nil
}

// Snapshot returns the published snapshot (productID, version).
func (s *Store) Snapshot(ctx context.Context, productID, version int) (*catalog.Snapshot, error) {
	if version <= 0 {
		return nil, ErrNotPublished
	}
	key := versionKey{productID, version}
	s.mu.RLock()
	snap, ok := s.cache[key]
	s.mu.RUnlock()
	if ok {
		return snap, nil
	}
	row, err := s.client.CatalogVersion.Query().
		Where(catalogversion.Version(version), catalogversion.HasProductWith(product.ID(productID))).
		Only(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading catalog version %d: %w", version, err)
	}
	s.mu.Lock()
	s.cache[key] = row.Snapshot
	s.mu.Unlock()
	return row.Snapshot, nil
}

// Current returns the latest published snapshot of p.
func (s *Store) Current(ctx context.Context, p *ent.Product) (*catalog.Snapshot, error) {
	return s.Snapshot(ctx, p.ID, p.CatalogVersion)
}

// BuildSnapshot reads the draft catalog of productID (through the client in ctx's transaction, if
// any) into an unpublished snapshot with version 0.
func BuildSnapshot(ctx context.Context, client *ent.Client, productID int) (*catalog.Snapshot, error) {
	p, err := client.Product.Get(ctx, productID)
	if err != nil {
		return nil, fmt.Errorf("loading product: %w", err)
	}
	groups, err := client.OptionGroup.Query().
		Where(optiongroup.HasProductWith(product.ID(productID)), optiongroup.Active(true)).
		Order(ent.Asc(optiongroup.FieldPosition), ent.Asc(optiongroup.FieldID)).
		WithOptions(func(q *ent.OptionValueQuery) {
			q.Where(optionvalue.Active(true)).
				Order(ent.Asc(optionvalue.FieldPosition), ent.Asc(optionvalue.FieldID))
		}).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading option groups: %w", err)
	}
	rules, err := client.Rule.Query().
		Where(rule.HasProductWith(product.ID(productID)), rule.Enabled(true)).
		Order(ent.Asc(rule.FieldID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading rules: %w", err)
	}
	priceRules, err := client.PriceRule.Query().
		Where(pricerule.HasProductWith(product.ID(productID)), pricerule.Enabled(true)).
		Order(ent.Asc(pricerule.FieldID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading price rules: %w", err)
	}
	tiers, err := client.PriceTier.Query().
		Where(pricetier.HasProductWith(product.ID(productID))).
		Order(ent.Asc(pricetier.FieldMinQuantity)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading price tiers: %w", err)
	}
	snap := &catalog.Snapshot{
		ProductID:          p.ID,
		Slug:               p.Slug,
		Name:               p.Name,
		Style:              p.Style,
		Currency:           p.Currency,
		BasePrice:          p.BasePrice,
		BuildDaysMin:       p.BuildDaysMin,
		BuildDaysMax:       p.BuildDaysMax,
		PiecesPerExtraDay:  p.PiecesPerExtraDay,
		DepositBasisPoints: p.DepositBasisPoints,
	}
	for _, g := range groups {
		sg := catalog.Group{
			ID: g.ID, Key: g.Key, Name: g.Name, Description: g.Description, Kind: g.Kind.String(),
			Required: g.Required, MinSelect: g.MinSelect, MaxSelect: g.MaxSelect,
			MaxLength: g.MaxLength, AllowedCharacters: g.AllowedCharacters,
			NumberMin: g.NumberMin, NumberMax: g.NumberMax, NumberStep: g.NumberStep,
			Unit: g.Unit, PreviewRole: g.PreviewRole,
		}
		for _, o := range g.Edges.Options {
			sg.Options = append(sg.Options, catalog.Option{
				ID: o.ID, Key: o.Key, Name: o.Name, Description: o.Description,
				PriceDelta: o.PriceDelta, LeadDays: o.LeadDays, Swatch: o.Swatch,
				PreviewAsset: o.PreviewAsset,
			})
		}
		snap.Groups = append(snap.Groups, sg)
	}
	for _, r := range rules {
		snap.Rules = append(snap.Rules, catalog.Rule{
			ID: r.ID, Key: r.Key, Expression: r.Expression, Message: r.Message,
		})
	}
	for _, r := range priceRules {
		snap.PriceRules = append(snap.PriceRules, catalog.PriceRule{
			ID: r.ID, Label: r.Label, Condition: r.Condition, Amount: r.Amount,
		})
	}
	for _, t := range tiers {
		snap.Tiers = append(snap.Tiers, catalog.Tier{
			MinQuantity: t.MinQuantity, DiscountBasisPoints: t.DiscountBasisPoints,
		})
	}
	return snap, nil
}

// PublishResult is a published catalog and the lint warnings it was published with.
type PublishResult struct {
	Snapshot *catalog.Snapshot
	Warnings []engine.Finding
}

// Publish compiles and lints the draft of productID and, when Lint finds no error, stores it as
// the next catalog version and makes it current, atomically. A draft with errors is refused
// with BAD_USER_INPUT listing them.
func Publish(ctx context.Context, client *ent.Client, productID int, actor string, now time.Time) (*PublishResult, error) {
	var res *PublishResult
	err := txn.Run(ctx, client, func(c *ent.Client) error {
		var err error
		res, err = publish(ctx, c, productID, actor, now)
		return err
	})
	return res, err
}

func publish(ctx context.Context, client *ent.Client, productID int, actor string, now time.Time) (*PublishResult, error) {
	snap, err := BuildSnapshot(ctx, client, productID)
	if err != nil {
		return nil, err
	}
	cat, err := pageview.Compile(snap)
	if err != nil {
		return nil, fault.Wrap(fault.BadUserInput, err, "the draft catalog does not compile: %v", err)
	}
	res := &PublishResult{Snapshot: snap}
	var errs []engine.Finding
	for _, f := range cat.Lint() {
		if f.Severity == engine.SeverityError {
			errs = append(errs, f)
		} else {
			res.Warnings = append(res.Warnings, f)
		}
	}
	if len(errs) > 0 {
		return nil, fault.BadInput("productId", "the draft cannot be published: %s", errs[0].Message).
			With("findings", findingsExt(errs))
	}
	// Two concurrent publishers may read the same version; the unique (product, version) index
	// lets only one of them save it, the other gets a constraint error.
	p, err := client.Product.Get(ctx, productID)
	if err != nil {
		return nil, fmt.Errorf("loading product: %w", err)
	}
	snap.Version = p.CatalogVersion + 1
	cv, err := client.CatalogVersion.Create().
		SetProductID(productID).
		SetVersion(snap.Version).
		SetSnapshot(snap).
		SetPublishedBy(actor).
		SetPublishedAt(now).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("saving catalog version: %w", err)
	}
	upd := client.Product.UpdateOneID(productID).SetCatalogVersion(snap.Version)
	if p.Status == product.StatusDraft {
		upd.SetStatus(product.StatusActive)
	}
	if err := upd.Exec(ctx); err != nil {
		return nil, fmt.Errorf("updating product version: %w", err)
	}
	summary, _ := json.Marshal(map[string]any{"version": snap.Version, "warnings": len(res.Warnings)})
	if err := client.CatalogChange.Create().SetProductID(productID).SetActor(actor).
		SetEntity(entityCatalog).SetEntityID(cv.ID).SetAction("PUBLISH").SetAfter(summary).
		SetAt(now).Exec(ctx); err != nil {
		return nil, fmt.Errorf("recording publish: %w", err)
	}
	return res, nil
}

// findingsExt renders lint findings for an error's extensions.
func findingsExt(fs []engine.Finding) []map[string]string {
	out := make([]map[string]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, map[string]string{
			"severity": f.Severity.String(), "code": f.Code, "message": f.Message,
			"group": f.Group, "option": f.Option, "rule": f.RuleID,
		})
	}
	return out
}

// ValidateExpression checks the syntax of a rule or price-rule expression; a syntax error is
// BAD_USER_INPUT naming field, with the line and column in the extensions. References to
// groups and options are checked when the draft is compiled.
func ValidateExpression(field, expr string) error {
	_, err := engine.ParseRule(expr)
	var pe *engine.ParseError
	if errors.As(err, &pe) {
		return fault.BadInput(field, "%s", pe.Error()).With("line", pe.Line).With("column", pe.Column)
	}
	if err != nil {
		return fault.BadInput(field, "%v", err)
	}
	return nil
}
