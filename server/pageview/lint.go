package pageview

import (
	"fmt"

	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/engine"
)

// Lint returns the engine's findings (rules, dead options, contradictions) and the price
// findings of the catalog: what publishing checks and the designer's lint query shows.
func (c *Published) Lint() []engine.Finding {
	return append(c.Engine.Lint(), LintPrices(c.Snap)...)
}

// LintPrices finds a catalog whose unit price could drop below zero, which quote refuses to
// price: the base price plus the most negative option deltas (every negative one in a MULTI
// group) plus every negative price rule. The bound ignores compatibility rules, so it may refuse
// discounts that could never meet; it never lets through a catalog that prices negative.
func LintPrices(s *catalog.Snapshot) []engine.Finding {
	low := s.BasePrice
	for _, g := range s.Groups {
		var least int64
		for _, o := range g.Options {
			switch {
			case o.PriceDelta >= 0:
			case g.Kind == KindMulti:
				least += o.PriceDelta
			default:
				least = min(least, o.PriceDelta)
			}
		}
		low += least
	}
	for _, pr := range s.PriceRules {
		low += min(pr.Amount, 0)
	}
	// Amounts are bounded (quote.MaxAmount) on input, so these sums cannot overflow.
	if low >= 0 {
		return nil
	}
	return []engine.Finding{{
		Severity: engine.SeverityError, Code: "NEGATIVE_PRICE",
		Message: fmt.Sprintf("discounts and negative option prices can bring the unit price "+
			"to %d minor units, below zero: raise the base price or reduce the discounts", low),
	}}
}
