package catalog_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/atelier/atelier/server/catalog"
)

func published() *catalog.Snapshot {
	return &catalog.Snapshot{
		Slug: "heritage", Name: "Heritage", Currency: "USD", BasePrice: 14500,
		BuildDaysMin: 5, BuildDaysMax: 8, DepositBasisPoints: 3000,
		Groups: []catalog.Group{
			{Key: "leather", Name: "Leather", Kind: "SINGLE", Required: true, Options: []catalog.Option{
				{Key: "calf", Name: "Calf", PriceDelta: 0}, {Key: "cordovan", Name: "Cordovan", PriceDelta: 9000},
			}},
			{Key: "monogram", Name: "Monogram", Kind: "TEXT", MaxLength: 3},
		},
		Rules:      []catalog.Rule{{Key: "r1", Expression: "leather = calf -> true", Message: "m"}},
		PriceRules: []catalog.PriceRule{{Label: "Hand finish", Condition: "leather = cordovan", Amount: 1500}},
		Tiers:      []catalog.Tier{{MinQuantity: 5, DiscountBasisPoints: 500}},
	}
}

func strings(cs []catalog.Change) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.String()
	}
	return out
}

func TestDiff(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		edit func(s *catalog.Snapshot)
		want []string
	}{
		"identical": {func(*catalog.Snapshot) {}, []string{}},
		"product price": {func(s *catalog.Snapshot) { s.BasePrice = 15000 },
			[]string{`CHANGED Product heritage.basePrice: "14500" → "15000"`}},
		"option added, changed and removed": {func(s *catalog.Snapshot) {
			s.Groups[0].Options = []catalog.Option{
				{Key: "calf", Name: "Box calf"}, {Key: "shell", Name: "Shell"},
			}
		}, []string{
			`CHANGED OptionValue leather/calf.name: "Calf" → "Box calf"`,
			`ADDED OptionValue leather/shell`,
			`REMOVED OptionValue leather/cordovan`,
		}},
		"group reordered and a new one": {func(s *catalog.Snapshot) {
			s.Groups = []catalog.Group{s.Groups[1], s.Groups[0], {Key: "size", Kind: "NUMBER"}}
		}, []string{
			`CHANGED OptionGroup monogram.position: "2" → "1"`,
			`CHANGED OptionGroup leather.position: "1" → "2"`,
			`ADDED OptionGroup size`,
		}},
		"rules, surcharges and tiers": {func(s *catalog.Snapshot) {
			s.Rules = []catalog.Rule{{Key: "r1", Expression: "leather = calf -> false", Message: "m"},
				{Key: "r2", Expression: "x", Message: "y"}}
			s.PriceRules = nil
			s.Tiers = []catalog.Tier{{MinQuantity: 5, DiscountBasisPoints: 700}}
		}, []string{
			`CHANGED Rule r1.expression: "leather = calf -> true" → "leather = calf -> false"`,
			`ADDED Rule r2`,
			`REMOVED PriceRule Hand finish`,
			`CHANGED PriceTier 5.discountBasisPoints: "500" → "700"`,
		}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			draft := published()
			tc.edit(draft)
			assert.Equal(t, tc.want, strings(catalog.Diff(published(), draft)))
		})
	}
}

// Before the first publication everything in the draft is new.
func TestDiffAgainstNothingPublished(t *testing.T) {
	t.Parallel()
	got := strings(catalog.Diff(nil, published()))
	assert.Equal(t, []string{
		"ADDED OptionGroup leather", "ADDED OptionGroup monogram",
		"ADDED OptionValue leather/calf", "ADDED OptionValue leather/cordovan",
		"ADDED Rule r1", "ADDED PriceRule Hand finish", "ADDED PriceTier 5",
	}, got)
}
