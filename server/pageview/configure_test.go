package pageview_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/engine"
	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/pageview"
	"github.com/atelier/atelier/server/quote"
	"github.com/atelier/atelier/server/seed"
)

func demo(t *testing.T) *pageview.Published {
	t.Helper()
	c, err := pageview.Compile(seed.Snapshots()[0]) // heritage-sport
	require.NoError(t, err)
	return c
}

func ch(group, option string) pageview.Choice { return pageview.Choice{Group: group, Option: option} }

var monday = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func state(v *pageview.View, group, option string) engine.State {
	for _, g := range v.Groups {
		for _, o := range g.Options {
			if g.Group.Key == group && o.Key == option {
				return o.State
			}
		}
	}
	return -1
}

func TestSelect(t *testing.T) {
	t.Parallel()
	c := demo(t)
	tests := []struct {
		name     string
		start    []pageview.Choice
		group    string
		option   string
		resolve  bool
		want     []pageview.Choice
		changes  []string
		wantCode fault.Code
	}{
		{"available", nil, "leather", "calf", false,
			[]pageview.Choice{ch("leather", "calf")}, []string{"Leather grade: Box calf"}, ""},
		{"again is a no-op", []pageview.Choice{ch("leather", "calf")}, "leather", "calf", false,
			[]pageview.Choice{ch("leather", "calf")}, nil, ""},
		{"switching a single group", []pageview.Choice{ch("leather", "calf"), ch("colour", "tan")}, "leather", "suede", false,
			[]pageview.Choice{ch("colour", "tan"), ch("leather", "suede")}, []string{"Leather grade: Box calf → Suede"}, ""},
		{"excluded is refused", []pageview.Choice{ch("leather", "alligator")}, "stitch_pattern", "cross", false,
			nil, nil, fault.BadUserInput},
		{"excluded is resolved", []pageview.Choice{ch("colour", "black"), ch("leather", "alligator")}, "stitch_pattern", "cross", true,
			[]pageview.Choice{ch("colour", "black"), ch("stitch_pattern", "cross")},
			[]string{"Stitching pattern: Cross stitch", "Leather grade: Alligator (CITES certified) → cleared"}, ""},
		{"unknown group", nil, "laces", "x", false, nil, nil, fault.BadUserInput},
		{"unknown option", nil, "leather", "vinyl", false, nil, nil, fault.BadUserInput},
		{"multi adds", []pageview.Choice{ch("extras", "gift-box")}, "extras", "quick-release", false,
			[]pageview.Choice{ch("extras", "gift-box"), ch("extras", "quick-release")}, []string{"Extras: Quick-release spring bars"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, changes, err := c.Select(tt.start, tt.group, tt.option, tt.resolve)
			if tt.wantCode != "" {
				require.Error(t, err)
				assert.True(t, fault.Is(err, tt.wantCode), "%v", err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			var msgs []string
			for _, c := range changes {
				msgs = append(msgs, c.Message)
			}
			assert.Equal(t, tt.changes, msgs)
		})
	}
}

func TestRefusalCarriesReasonsAndFix(t *testing.T) {
	t.Parallel()
	c := demo(t)
	_, _, err := c.Select([]pageview.Choice{ch("leather", "alligator")}, "stitch_pattern", "cross", false)
	fe, ok := fault.As(err)
	require.True(t, ok)
	assert.Equal(t, "option", fe.Field)
	assert.Contains(t, fe.Msg, "Alligator scales are sealed with painted edges.")
	require.Len(t, fe.Extensions["reasons"], 2, "a two-step chain: alligator → painted edge → no cross stitch")
	assert.Equal(t, "Leather grade: Alligator (CITES certified) → cleared",
		fe.Extensions["fix"].([]map[string]string)[0]["message"])
}

func TestTextAndNumber(t *testing.T) {
	t.Parallel()
	c := demo(t)
	got, _, err := c.SetText(nil, "monogram", " JDR ", false)
	require.NoError(t, err)
	assert.Equal(t, []pageview.Choice{{Group: "monogram", Text: "JDR"}}, got)
	for _, bad := range []string{"ABCD", "jd", "<b>"} {
		_, _, err := c.SetText(nil, "monogram", bad, false)
		assert.True(t, fault.Is(err, fault.BadUserInput), bad)
	}
	_, _, err = c.SetText([]pageview.Choice{ch("leather", "suede")}, "monogram", "AB", false)
	assert.True(t, fault.Is(err, fault.BadUserInput), "suede takes no monogram")
	got, _, err = c.SetText(got, "monogram", "", false)
	require.NoError(t, err)
	assert.Empty(t, got, "empty text clears")

	got, _, err = c.SetNumber(nil, "wrist", "175", false)
	require.NoError(t, err)
	assert.Equal(t, []pageview.Choice{ch("wrist", "175")}, got)
	for _, bad := range []string{"177", "145", "215", "x"} {
		_, _, err := c.SetNumber(nil, "wrist", bad, false)
		assert.True(t, fault.Is(err, fault.BadUserInput), bad)
	}
	_, _, err = c.SetNumber([]pageview.Choice{ch("case_size", "24mm")}, "wrist", "150", false)
	assert.True(t, fault.Is(err, fault.BadUserInput), "a 24 mm strap is too wide for a small wrist")
}

func TestClearOneOptionOfAMultiGroup(t *testing.T) {
	t.Parallel()
	c := demo(t)
	start := []pageview.Choice{ch("extras", "gift-box"), ch("extras", "quick-release"), ch("leather", "calf")}
	got, changes, err := c.Clear(start, "extras", "gift-box")
	require.NoError(t, err)
	assert.Equal(t, []pageview.Choice{ch("extras", "quick-release"), ch("leather", "calf")}, got)
	require.Len(t, changes, 1)
	got, _, err = c.Clear(start, "extras", "")
	require.NoError(t, err)
	assert.Equal(t, []pageview.Choice{ch("leather", "calf")}, got)
}

func TestEvaluate(t *testing.T) {
	t.Parallel()
	c := demo(t)
	v, err := c.Evaluate([]pageview.Choice{ch("leather", "alligator"), ch("hardware", "yellow-gold")}, 1, monday, quote.Calendar{})
	require.NoError(t, err)
	assert.True(t, v.Valid)
	assert.False(t, v.Complete)
	assert.Equal(t, engine.StateSelected, state(v, "leather", "alligator"))
	assert.Equal(t, engine.StateAvailable, state(v, "leather", "calf"), "other leathers stay switchable")
	assert.Equal(t, engine.StateForced, state(v, "edge", "painted"))
	assert.Equal(t, engine.StateExcluded, state(v, "buckle", "butterfly"))
	// Base + alligator + gold + the exotic surcharge (a price rule).
	assert.Equal(t, int64(12900+24000+3500+3500), v.Price.Total)
	assert.Equal(t, "Exotic leather hand-finishing", v.Price.Lines[len(v.Price.Lines)-1].Label)
	assert.Equal(t, 3+7+2, v.Lead.MinBusinessDays)
	assert.Contains(t, v.Preview.SVG, "#d4af37", "the gold hardware tint is drawn")
	for _, g := range v.Groups {
		for _, o := range g.Options {
			if o.State == engine.StateExcluded {
				assert.NotEmpty(t, o.Reasons, "%s=%s says why", g.Group.Key, o.Key)
			}
		}
	}
}

func TestRevalidateDropsWhatNoLongerFits(t *testing.T) {
	t.Parallel()
	snap := *seed.Snapshots()[0]
	snap.Groups = append([]catalog.Group(nil), snap.Groups...)
	for i, g := range snap.Groups {
		if g.Key == "colour" {
			var kept []catalog.Option
			for _, o := range g.Options {
				if o.Key != "grey" { // grey is withdrawn
					kept = append(kept, o)
				}
			}
			g.Options = kept
			snap.Groups[i] = g
		}
	}
	snap.Rules = append(snap.Rules, catalog.Rule{Key: "no-pvd", Expression: "hardware != black-pvd", Message: "Out of stock."})
	c, err := pageview.Compile(&snap)
	require.NoError(t, err)
	kept, notices := c.Revalidate([]pageview.Choice{ch("colour", "grey"), ch("leather", "calf"),
		ch("hardware", "black-pvd"), {Group: "monogram", Text: "TOOLONG"}, ch("gone", "x")})
	assert.Equal(t, []pageview.Choice{ch("leather", "calf")}, kept)
	assert.Len(t, notices, 4)
}

func TestHolds(t *testing.T) {
	t.Parallel()
	c := demo(t)
	cases := []struct {
		expr    string
		choices []pageview.Choice
		want    bool
	}{
		{"leather in {alligator, ostrich}", []pageview.Choice{ch("leather", "ostrich")}, true},
		{"leather in {alligator, ostrich}", nil, false},
		{"monogram = filled", []pageview.Choice{{Group: "monogram", Text: "A"}}, true},
		{"lining = none", nil, true},
		{"extras = padded and not (extras = gift-box)", []pageview.Choice{ch("extras", "padded")}, true},
		{"leather = calf -> edge = turned", []pageview.Choice{ch("leather", "suede")}, true},
		{"leather = calf <-> edge = turned", []pageview.Choice{ch("leather", "calf")}, false},
	}
	for _, tc := range cases {
		e, err := engine.ParseRule(tc.expr)
		require.NoError(t, err)
		assert.Equal(t, tc.want, pageview.Holds(e, c.Assignment(tc.choices)), tc.expr)
	}
}

// summary is what a view shows of its groups, comparable with assert.Equal.
func summary(v *pageview.View) []string {
	out := []string{fmt.Sprint(v.Complete, v.Valid, v.Completions)}
	for _, g := range v.Groups {
		for _, o := range g.Options {
			line := fmt.Sprintf("%s=%s %v", g.Group.Key, o.Key, o.State)
			for _, r := range o.Reasons {
				line += fmt.Sprintf(" [%s %v]", r.Message, r.Selections)
			}
			out = append(out, line)
		}
	}
	return out
}

// The engine results a step reads are recycled (Published.propagate): a walk through many
// states must show exactly what a freshly compiled catalog shows for each of them.
func TestRecycledResultsGiveTheSameViews(t *testing.T) {
	t.Parallel()
	c := demo(t)
	rng := rand.New(rand.NewPCG(7, 19))
	var choices []pageview.Choice
	for step := range 150 {
		v, err := c.Evaluate(choices, 1, monday, quote.Calendar{})
		require.NoError(t, err)
		fresh, err := demo(t).Evaluate(choices, 1, monday, quote.Calendar{})
		require.NoError(t, err)
		require.Equal(t, summary(fresh), summary(v), "step %d, choices %v", step, choices)

		g := v.Groups[rng.IntN(len(v.Groups))]
		if g.Group.Kind == pageview.KindText || g.Group.Kind == pageview.KindNumber ||
			len(g.Options) == 0 || step%25 == 24 {
			choices = nil // start over now and then
			continue
		}
		o := g.Options[rng.IntN(len(g.Options))]
		if choices, _, err = c.Select(choices, g.Group.Key, o.Key, true); err != nil {
			choices = nil
		}
	}
}
