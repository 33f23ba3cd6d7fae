package graph_test

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent/optiongroup"
	"github.com/atelier/atelier/ent/optionvalue"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/server/studio"
)

const configurationFields = `
  id version quantity complete valid completions catalogVersion notices
  product { slug }
  selections { group option text }
  groups { group { key kind required } none options { option { key name } state reasons { message selections { group option text } } priceDelta { amount currency } } }
  price { unit { amount currency } total { amount currency } subtotal { amount } discount { amount } lines { label amount { amount currency } } tier depositDue { amount currency } balanceDue { amount currency } }
  leadTime { minBusinessDays maxBusinessDays shipsEarliest shipsLatest }
  preview { svg layers { group option asset tint z } }`

type money struct {
	Amount   int
	Currency string
}

type selection struct {
	Group  string
	Option *string
	Text   *string
}

type configurationJSON struct {
	ID, Completions string
	Version         int
	Quantity        int
	Complete, Valid bool
	CatalogVersion  int
	Notices         []string
	Product         struct{ Slug string }
	Selections      []selection
	Groups          []struct {
		Group struct {
			Key, Kind string
			Required  bool
		}
		None    *string
		Options []struct {
			Option  struct{ Key, Name string }
			State   string
			Reasons []struct {
				Message    string
				Selections []selection
			}
			PriceDelta money
		}
	}
	Price struct {
		Unit, Total, Subtotal, Discount, DepositDue, BalanceDue money
		Lines                                                   []struct {
			Label  string
			Amount money
		}
		Tier *int
	}
	LeadTime struct {
		MinBusinessDays, MaxBusinessDays int
		ShipsEarliest, ShipsLatest       string
	}
	Preview struct {
		SVG    string
		Layers []struct {
			Group, Option, Asset, Tint string
			Z                          int
		}
	}
}

type change struct {
	Group    string
	From, To *string
	Message  string
}

type payload struct {
	Configuration configurationJSON
	Changes       []change
}

func (c configurationJSON) state(group, option string) string {
	for _, g := range c.Groups {
		if g.Group.Key == group {
			for _, o := range g.Options {
				if o.Option.Key == option {
					return o.State
				}
			}
		}
	}
	return "MISSING"
}

func productID(t *testing.T, s *stack, slug string) string {
	t.Helper()
	var out struct{ Product struct{ ID string } }
	s.must(t, `query($s: String!) { product(slug: $s) { id } }`, vars("s", slug), &out)
	return out.Product.ID
}

func start(t *testing.T, s *stack, slug string) configurationJSON {
	t.Helper()
	var out struct{ StartConfiguration payload }
	s.must(t, `mutation($p: ID!) { startConfiguration(input: { productId: $p }) { configuration {`+
		configurationFields+` } } }`, vars("p", productID(t, s, slug)), &out)
	return out.StartConfiguration.Configuration
}

// edit runs one configuration mutation (selectOption, setText …) and returns its payload.
func edit(t *testing.T, s *stack, mutation string, input map[string]any) payload {
	t.Helper()
	var out map[string]payload
	s.must(t, `mutation($in: `+inputType(mutation)+`!) { `+mutation+`(input: $in) { configuration {`+
		configurationFields+` } changes { group from to message } } }`, vars("in", input), &out)
	return out[mutation]
}

func inputType(mutation string) string {
	return strings.ToUpper(mutation[:1]) + mutation[1:] + "Input"
}

func editFails(t *testing.T, s *stack, mutation string, input map[string]any) gqlError {
	t.Helper()
	return s.fail(t, `mutation($in: `+inputType(mutation)+`!) { `+mutation+`(input: $in) { configuration { id } } }`,
		vars("in", input))
}

func sel(c configurationJSON, group, option string) map[string]any {
	return map[string]any{"configurationId": c.ID, "version": c.Version, "group": group, "option": option}
}

func TestCustomerJourney(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	c := start(t, s, "heritage-sport")
	require.Equal(t, 1, c.Version)
	require.False(t, c.Complete)
	assert.Equal(t, "heritage-sport", c.Product.Slug)
	assert.Equal(t, 12900, c.Price.Total.Amount)
	assert.Equal(t, "USD", c.Price.Total.Currency)
	initialCount := mustAtoi(t, c.Completions)
	assert.Positive(t, initialCount)

	steps := []struct {
		mutation string
		input    func(c configurationJSON) map[string]any
	}{
		{"selectOption", func(c configurationJSON) map[string]any { return sel(c, "case_size", "20mm") }},
		{"selectOption", func(c configurationJSON) map[string]any { return sel(c, "leather", "shell-cordovan") }},
		{"selectOption", func(c configurationJSON) map[string]any { return sel(c, "colour", "oxblood") }},
		{"selectOption", func(c configurationJSON) map[string]any { return sel(c, "stitching", "ivory") }},
		{"selectOption", func(c configurationJSON) map[string]any { return sel(c, "stitch_pattern", "saddle") }},
		{"selectOption", func(c configurationJSON) map[string]any { return sel(c, "edge", "burnished") }},
		{"selectOption", func(c configurationJSON) map[string]any { return sel(c, "hardware", "polished-steel") }},
		{"selectOption", func(c configurationJSON) map[string]any { return sel(c, "buckle", "pin") }},
		{"setNumber", func(c configurationJSON) map[string]any {
			return map[string]any{"configurationId": c.ID, "version": c.Version, "group": "wrist", "value": 175}
		}},
		{"setText", func(c configurationJSON) map[string]any {
			return map[string]any{"configurationId": c.ID, "version": c.Version, "group": "monogram", "text": "JDR"}
		}},
	}
	prevCount := initialCount
	for i, st := range steps {
		p := edit(t, s, st.mutation, st.input(c))
		require.Equal(t, c.Version+1, p.Configuration.Version, "step %d", i)
		require.NotEmpty(t, p.Changes)
		c = p.Configuration
		n := mustAtoi(t, c.Completions)
		assert.LessOrEqual(t, n, prevCount, "each choice narrows the configurations")
		prevCount = n
		assert.True(t, c.Valid)
	}
	require.True(t, c.Complete, "every required group is chosen")
	assert.Positive(t, prevCount, "optional groups may still be chosen")
	// Shell cordovan + oxblood + burnished edge + polished steel + monogram, priced by the server.
	want := 12900 + 9500 + 1000 + 1500 + 1500
	assert.Equal(t, want, c.Price.Total.Amount)
	sum := 0
	for _, l := range c.Price.Lines {
		sum += l.Amount.Amount
	}
	assert.Equal(t, c.Price.Total.Amount, sum, "the breakdown adds up")
	assert.Equal(t, c.Price.Total.Amount, c.Price.DepositDue.Amount+c.Price.BalanceDue.Amount)
	assert.Equal(t, 3+5+1, c.LeadTime.MinBusinessDays, "base 3 + cordovan 5 + burnished 1")
	assert.Contains(t, c.Preview.SVG, "<svg")
	assert.Contains(t, c.Preview.SVG, "JDR")
	assert.Contains(t, c.Preview.SVG, "#5a1a1d", "the oxblood tint is drawn")
	assert.Equal(t, "SELECTED", c.state("leather", "shell-cordovan"))
	assert.Equal(t, "EXCLUDED", c.state("stitching", "red"), "cordovan takes linen thread only")

	// Quantity tiers: 10 pieces get 10% off.
	p := edit(t, s, "setQuantity", map[string]any{"configurationId": c.ID, "version": c.Version, "quantity": 10})
	require.NotNil(t, p.Configuration.Price.Tier)
	assert.Equal(t, 10, *p.Configuration.Price.Tier)
	assert.Equal(t, want*10-want, p.Configuration.Price.Total.Amount)
	assert.Greater(t, p.Configuration.LeadTime.MaxBusinessDays, c.LeadTime.MaxBusinessDays,
		"ten pieces take longer")
	c = p.Configuration

	// Resume by id: the share link.
	var got struct{ Configuration configurationJSON }
	s.must(t, `query($id: ID!) { configuration(id: $id) {`+configurationFields+` } }`, vars("id", c.ID), &got)
	assert.Equal(t, c.Version, got.Configuration.Version)
	assert.Equal(t, c.Selections, got.Configuration.Selections)

	// Reset clears everything.
	p = edit(t, s, "resetConfiguration", map[string]any{"configurationId": c.ID, "version": c.Version})
	assert.Empty(t, p.Configuration.Selections)
	assert.Equal(t, 1, p.Configuration.Quantity)
	assert.Equal(t, initialCount, mustAtoi(t, p.Configuration.Completions))
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	require.NoError(t, err)
	return n
}

func TestRandomWalkAlwaysEndsComplete(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	for _, slug := range []string{"heritage-sport", "atelier-dress"} {
		for seed := uint64(1); seed <= 6; seed++ {
			t.Run(slug+"/"+strconv.FormatUint(seed, 10), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(seed, 42))
				c := start(t, s, slug)
				chosen := map[string]bool{}
				for step := 0; !c.Complete; step++ {
					require.Less(t, step, 40, "the walk must end")
					c = walkStep(t, s, rng, c, chosen)
					require.True(t, c.Valid)
					require.Positive(t, mustAtoi(t, c.Completions), "never a dead end")
				}
				assert.True(t, c.Valid)
				for _, g := range c.Groups {
					if g.Group.Required {
						assert.True(t, chosen[g.Group.Key], "required group %s chosen", g.Group.Key)
					}
				}
			})
		}
	}
}

// walkStep makes one random AVAILABLE (or FORCED) choice in a group not chosen yet, preferring
// groups that need a choice (required, or optional with "none" ruled out).
func walkStep(t *testing.T, s *stack, rng *rand.Rand, c configurationJSON, chosen map[string]bool) configurationJSON {
	t.Helper()
	var needed, optional []int
	for i, g := range c.Groups {
		if chosen[g.Group.Key] {
			continue
		}
		if g.Group.Required || (g.None != nil && *g.None == "EXCLUDED") {
			needed = append(needed, i)
		} else {
			optional = append(optional, i)
		}
	}
	pool := needed
	if len(pool) == 0 {
		// Complete would have ended the walk: an optional group must be what is missing.
		pool = optional
	} else if len(optional) > 0 && rng.IntN(4) == 0 {
		pool = append(pool, optional[rng.IntN(len(optional))])
	}
	require.NotEmpty(t, pool, "incomplete with nothing left to choose: a dead end")
	g := c.Groups[pool[rng.IntN(len(pool))]]
	chosen[g.Group.Key] = true
	if g.Group.Kind == "TEXT" {
		if len(g.Options) > 0 && g.Options[0].State == "EXCLUDED" {
			require.False(t, g.Group.Required, "a required text group cannot be excluded")
			return c
		}
		return edit(t, s, "setText", map[string]any{"configurationId": c.ID, "version": c.Version,
			"group": g.Group.Key, "text": "AB"}).Configuration
	}
	var open []string
	for _, o := range g.Options {
		if o.State == "AVAILABLE" || o.State == "FORCED" {
			open = append(open, o.Option.Key)
		}
	}
	if len(open) == 0 && !g.Group.Required && (g.None == nil || *g.None != "EXCLUDED") {
		return c // an optional group with nothing to offer is simply left empty
	}
	require.NotEmpty(t, open, "group %s has no option left: a dead end", g.Group.Key)
	pick := open[rng.IntN(len(open))]
	if g.Group.Kind == "NUMBER" {
		return edit(t, s, "setNumber", map[string]any{"configurationId": c.ID, "version": c.Version,
			"group": g.Group.Key, "value": mustAtoi(t, pick)}).Configuration
	}
	p := edit(t, s, "selectOption", sel(c, g.Group.Key, pick))
	require.Len(t, p.Changes, 1, "an AVAILABLE choice drops nothing")
	return p.Configuration
}

func TestStaleVersionGetsConflict(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	c := start(t, s, "heritage-sport")
	edit(t, s, "selectOption", sel(c, "leather", "calf"))
	e := editFails(t, s, "selectOption", sel(c, "leather", "suede"))
	assert.Equal(t, "CONFLICT", e.Extensions["code"])
	assert.EqualValues(t, 2, e.Extensions["currentVersion"])
	var got struct{ Configuration configurationJSON }
	s.must(t, `query($id: ID!) { configuration(id: $id) {`+configurationFields+` } }`, vars("id", c.ID), &got)
	assert.Equal(t, "SELECTED", got.Configuration.state("leather", "calf"), "the refused edit changed nothing")
}

func TestConcurrentUpdatesNeverLoseOne(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s1 := startStack(t, b, b.Redis.URL)
	s2 := startStack(t, b, b.Redis.URL)
	c := start(t, s1, "heritage-sport")

	// Racing from the same version: exactly one wins, the others are told, none is lost silently.
	const racers = 12
	var wg sync.WaitGroup
	results := make(chan gqlResponse, racers)
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := []*stack{s1, s2}[i%2]
			results <- s.do(t, `mutation($in: SetQuantityInput!) { setQuantity(input: $in) { configuration { version quantity } } }`,
				vars("in", map[string]any{"configurationId": c.ID, "version": 1, "quantity": i + 1}))
		}()
	}
	wg.Wait()
	close(results)
	wins, conflicts := 0, 0
	for r := range results {
		if len(r.Errors) == 0 {
			wins++
			continue
		}
		require.Equal(t, "CONFLICT", r.Errors[0].Extensions["code"])
		conflicts++
	}
	assert.Equal(t, 1, wins)
	assert.Equal(t, racers-1, conflicts)

	// Retrying on conflict, every writer's update lands exactly once.
	const writers = 8
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := []*stack{s1, s2}[i%2]
			for {
				var got struct{ Configuration struct{ Version int } }
				s.must(t, `query($id: ID!) { configuration(id: $id) { version } }`, vars("id", c.ID), &got)
				r := s.do(t, `mutation($in: SetQuantityInput!) { setQuantity(input: $in) { configuration { version } } }`,
					vars("in", map[string]any{"configurationId": c.ID, "version": got.Configuration.Version, "quantity": 100 + i}))
				if len(r.Errors) == 0 {
					return
				}
				if r.Errors[0].Extensions["code"] != "CONFLICT" {
					t.Errorf("unexpected error %v", r.Errors[0])
					return
				}
			}
		}()
	}
	wg.Wait()
	var final struct{ Configuration struct{ Version int } }
	s1.must(t, `query($id: ID!) { configuration(id: $id) { version } }`, vars("id", c.ID), &final)
	assert.Equal(t, 2+writers, final.Configuration.Version, "one version per landed update")
}

func TestResumeOnAnotherInstanceAndAfterRestart(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s1 := startStack(t, b, b.Redis.URL)
	c := start(t, s1, "atelier-dress")
	c = edit(t, s1, "selectOption", sel(c, "leather", "alligator")).Configuration

	s2 := startStack(t, b, b.Redis.URL)
	var got struct{ Configuration configurationJSON }
	s2.must(t, `query($id: ID!) { configuration(id: $id) {`+configurationFields+` } }`, vars("id", c.ID), &got)
	assert.Equal(t, c.Version, got.Configuration.Version)
	assert.Equal(t, c.Selections, got.Configuration.Selections)
	c = edit(t, s2, "selectOption", sel(got.Configuration, "hardware", "rose-gold")).Configuration

	s1.Stop()
	s2.Stop()
	s3 := startStack(t, b, b.Redis.URL)
	s3.must(t, `query($id: ID!) { configuration(id: $id) {`+configurationFields+` } }`, vars("id", c.ID), &got)
	assert.Equal(t, 3, got.Configuration.Version)
	assert.Equal(t, "SELECTED", got.Configuration.state("hardware", "rose-gold"))
	assert.Equal(t, c.Price.Total, got.Configuration.Price.Total)
}

func TestConfigurationUpdatedOverWebSocketAcrossInstances(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s1 := startStack(t, b, b.Redis.URL)
	s2 := startStack(t, b, b.Redis.URL)
	c := start(t, s1, "heritage-sport")

	ws := s1.ws(t, nil)
	ws.Subscribe("1", `subscription($id: ID!) { configurationUpdated(id: $id) { id version selections { group option } price { total { amount } } } }`,
		vars("id", c.ID))
	var first struct{ ConfigurationUpdated configurationJSON }
	ws.nextData("1", &first)
	assert.Equal(t, 1, first.ConfigurationUpdated.Version)

	c = edit(t, s2, "selectOption", sel(c, "leather", "ostrich")).Configuration
	c = edit(t, s2, "selectOption", sel(c, "case_size", "22mm")).Configuration
	// Each update sends the session as stored when it is read, so under load two quick edits
	// may arrive as one (version 3 without 2): versions only ever increase and end at 3.
	for last := 1; last < 3; {
		var next struct{ ConfigurationUpdated configurationJSON }
		ws.nextData("1", &next)
		require.Greater(t, next.ConfigurationUpdated.Version, last)
		last = next.ConfigurationUpdated.Version
	}
	ws.Send(map[string]any{"id": "1", "type": "complete"})
}

func TestSessionsExpireAfterTheirSlidingTTL(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL, "-session-ttl", "1500ms")
	c := start(t, s, "heritage-sport")
	query := `query($id: ID!) { configuration(id: $id) { version } }`
	// Each read slides the TTL: three reads 700 ms apart outlive one TTL.
	for range 3 {
		time.Sleep(700 * time.Millisecond)
		s.must(t, query, vars("id", c.ID), nil)
	}
	// Unused for longer than the TTL (a read would slide it, so none happens meanwhile).
	time.Sleep(2500 * time.Millisecond)
	e := s.fail(t, query, vars("id", c.ID))
	assert.Equal(t, "NOT_FOUND", e.Extensions["code"])
}

func TestBadInputIsRefusedAndChangesNothing(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	c := start(t, s, "heritage-sport")
	c = edit(t, s, "selectOption", sel(c, "leather", "suede")).Configuration
	base := map[string]any{"configurationId": c.ID, "version": c.Version}
	with := func(kv ...any) map[string]any {
		m := map[string]any{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range vars(kv...) {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name, mutation string
		input          map[string]any
		code, field    string
		msg            string
	}{
		{"unknown group", "selectOption", with("group", "laces", "option", "x"), "BAD_USER_INPUT", "group", `unknown option group "laces"`},
		{"unknown option", "selectOption", with("group", "leather", "option", "vinyl"), "BAD_USER_INPUT", "option", `Leather grade has no option "vinyl"`},
		{"excluded option", "selectOption", with("group", "edge", "option", "painted"), "BAD_USER_INPUT", "option", "Suede cannot be painted"},
		{"text too long", "setText", with("group", "monogram", "text", "ABCD"), "BAD_USER_INPUT", "text", "at most 3 characters"},
		{"text bad characters", "setText", with("group", "monogram", "text", "<b>"), "BAD_USER_INPUT", "text", "cannot contain"},
		{"text conflicts", "setText", with("group", "monogram", "text", "AB"), "BAD_USER_INPUT", "option", "heat-stamped monogram"},
		{"text on options", "setText", with("group", "leather", "text", "AB"), "BAD_USER_INPUT", "group", "does not take text"},
		{"number off step", "setNumber", with("group", "wrist", "value", 177), "BAD_USER_INPUT", "value", "150 to 210 mm in steps of 5"},
		{"quantity zero", "setQuantity", with("quantity", 0), "BAD_USER_INPUT", "quantity", "quantity must be 1 to 500"},
		{"unknown configuration", "setQuantity", map[string]any{"configurationId": "cfg_nope", "version": 1, "quantity": 2}, "NOT_FOUND", "", "no configuration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := editFails(t, s, tt.mutation, tt.input)
			assert.Equal(t, tt.code, e.Extensions["code"], e.Message)
			if tt.field != "" {
				assert.Equal(t, tt.field, e.Extensions["field"])
			}
			assert.Contains(t, e.Message, tt.msg)
		})
	}
	e := editFails(t, s, "selectOption", with("group", "edge", "option", "painted"))
	require.NotEmpty(t, e.Extensions["reasons"], "an excluded choice carries its explanation")
	require.NotEmpty(t, e.Extensions["fix"], "and the proposed fix")

	var got struct{ Configuration configurationJSON }
	s.must(t, `query($id: ID!) { configuration(id: $id) {`+configurationFields+` } }`, vars("id", c.ID), &got)
	assert.Equal(t, c.Version, got.Configuration.Version, "nothing changed")
	assert.Equal(t, c.Selections, got.Configuration.Selections)

	p := edit(t, s, "selectOption", with("group", "edge", "option", "painted", "resolveConflicts", true))
	require.Len(t, p.Changes, 2)
	assert.Equal(t, "Leather grade: Suede → cleared", p.Changes[1].Message)
}

func TestSessionOnOldCatalogIsRevalidated(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	c := start(t, s, "heritage-sport")
	c = edit(t, s, "selectOption", sel(c, "colour", "forest")).Configuration
	c = edit(t, s, "selectOption", sel(c, "leather", "calf")).Configuration

	ctx := systemCtx()
	client := s.App.DB.Client
	n, err := client.OptionValue.Update().
		Where(optionvalue.Key("forest"), optionvalue.HasGroupWith(optiongroup.Key("colour"),
			optiongroup.HasProductWith(product.Slug("heritage-sport")))).
		SetActive(false).Save(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	p := client.Product.Query().Where(product.Slug("heritage-sport")).OnlyX(ctx)
	_, err = studio.Publish(ctx, client, p.ID, "test", time.Now())
	require.NoError(t, err)

	var got struct{ Configuration configurationJSON }
	s.must(t, `query($id: ID!) { configuration(id: $id) {`+configurationFields+` } }`, vars("id", c.ID), &got)
	assert.Equal(t, 2, got.Configuration.CatalogVersion)
	assert.Equal(t, c.Version+1, got.Configuration.Version)
	require.Len(t, got.Configuration.Selections, 1)
	assert.Equal(t, "leather", got.Configuration.Selections[0].Group)
	require.NotEmpty(t, got.Configuration.Notices)
	assert.Contains(t, got.Configuration.Notices[0], "forest")
	assert.Equal(t, "MISSING", got.Configuration.state("colour", "forest"))
}
