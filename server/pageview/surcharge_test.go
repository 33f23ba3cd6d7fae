package pageview_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/pageview"
)

func TestTextSurcharge(t *testing.T) {
	t.Parallel()
	snap := &catalog.Snapshot{PriceRules: []catalog.PriceRule{
		{Label: "Heat-stamping", Condition: "monogram = filled", Amount: 1500},
		{Label: "Gold foil", Condition: " monogram=filled ", Amount: 500},
		{Label: "On cordovan", Condition: "monogram = filled and leather = cordovan", Amount: 900},
		{Label: "Other", Condition: "initials = filled", Amount: 700},
	}}
	for name, tc := range map[string]struct {
		key  string
		want int64
	}{
		"only the unconditional rules of the group": {"monogram", 2000},
		"another group": {"initials", 700},
		"no rule":       {"engraving", 0},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, pageview.TextSurcharge(snap, tc.key))
		})
	}
}
