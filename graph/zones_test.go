package graph_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atelier/atelier/ent/stafftoken"
)

const createZone = `mutation($in: CreateShippingZoneInput!) { createShippingZone(input: $in) {
  shippingZone { id name countries } } }`

const zoneChanges = `query { shippingZoneChanges(first: 20) { totalCount edges { node {
  actor entity entityID action before after product { id } } } } }`

type zoneChange struct {
	Actor    string
	Entity   string
	EntityID int
	Action   string
	Before   *string
	After    *string
	Product  *struct{ ID string }
}

func TestShippingZoneEditsAreAuditedWithTheirWrite(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	designer := bearer(staffToken(t, s, stafftoken.RoleDesigner))
	readChanges := func() []zoneChange {
		var out struct {
			ShippingZoneChanges struct {
				TotalCount int
				Edges      []struct{ Node zoneChange }
			}
		}
		s.must(t, zoneChanges, nil, &out, designer...)
		got := make([]zoneChange, 0, len(out.ShippingZoneChanges.Edges))
		for _, e := range out.ShippingZoneChanges.Edges {
			got = append(got, e.Node)
		}
		require.Len(t, got, out.ShippingZoneChanges.TotalCount)
		return got
	}
	before := len(readChanges())

	var created struct {
		CreateShippingZone struct{ ShippingZone struct{ ID string } }
	}
	s.must(t, createZone, vars("in", map[string]any{"name": "Nordics", "countries": []string{"NO", "IS"},
		"transitMinDays": 2, "transitMaxDays": 4, "price": 2200}), &created, designer...)
	id := created.CreateShippingZone.ShippingZone.ID
	s.must(t, `mutation($id: ID!) { updateShippingZone(id: $id, input: { price: 2400 }) {
	  shippingZone { id } } }`, vars("id", id), nil, designer...)

	// A refused write records nothing: the change and its record commit together or not at all.
	e := s.fail(t, `mutation($id: ID!) { updateShippingZone(id: $id, input: { countries: ["NO", "FR"] }) {
	  shippingZone { id } } }`, vars("id", id), designer...)
	assert.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
	assert.Contains(t, e.Message, "FR is already in the zone European Union")

	s.must(t, `mutation($id: ID!) { deleteShippingZone(id: $id) { deletedId } }`, vars("id", id), nil, designer...)

	got := readChanges()
	require.Len(t, got, before+3, "create, update and delete, the refused update not")
	var actions []string
	for _, c := range got[:3] {
		actions = append(actions, c.Action)
		assert.Equal(t, "ShippingZone", c.Entity)
		assert.Equal(t, "Test DESIGNER", c.Actor)
		assert.Nil(t, c.Product, "a zone belongs to no product")
		assert.Equal(t, got[0].EntityID, c.EntityID)
	}
	assert.Equal(t, []string{"DELETE", "UPDATE", "CREATE"}, actions, "newest first")
	price := func(js *string) any {
		require.NotNil(t, js)
		var z map[string]any
		require.NoError(t, json.Unmarshal([]byte(*js), &z))
		return z["price"]
	}
	assert.Nil(t, got[2].Before)
	assert.EqualValues(t, 2200, price(got[2].After))
	assert.EqualValues(t, 2200, price(got[1].Before))
	assert.EqualValues(t, 2400, price(got[1].After))
	assert.EqualValues(t, 2400, price(got[0].Before))
	assert.Nil(t, got[0].After)

	// The trail is the designers'.
	e = s.fail(t, zoneChanges, nil)
	assert.Contains(t, []any{"UNAUTHENTICATED", "FORBIDDEN"}, e.Extensions["code"])
	e = s.fail(t, zoneChanges, nil, bearer(staffToken(t, s, stafftoken.RoleWorkshop))...)
	assert.Equal(t, "FORBIDDEN", e.Extensions["code"])
}

// Two designers putting the same country in two zones at the same moment: each write checks
// the zones after its own change, so without serialising the writes both checks would pass
// on PostgreSQL (neither sees the other's uncommitted row). Exactly one wins, every round.
func TestConcurrentZoneWritesCannotShareACountry(t *testing.T) {
	t.Parallel()
	b := newBacking(t)
	s := startStack(t, b, b.Redis.URL)
	alice := bearer(staffToken(t, s, stafftoken.RoleDesigner))
	bob := bearer(staffToken(t, s, stafftoken.RoleDesigner))
	ctx := systemCtx()
	db := s.App.DB.Client
	countries := []string{"NO", "IS", "CH", "LI", "JP", "KR", "AU", "NZ", "CA", "MX"}

	race := func(t *testing.T, ops [2]func() gqlResponse) {
		t.Helper()
		var (
			wg  sync.WaitGroup
			res [2]gqlResponse
		)
		start := make(chan struct{})
		for i := range ops {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				res[i] = ops[i]()
			}()
		}
		close(start)
		wg.Wait()
		wins, seen := 0, make([]string, 0, len(res))
		for _, r := range res {
			seen = append(seen, fmt.Sprintf("%s %v", r.Data, r.Errors))
			if len(r.Errors) == 0 {
				wins++
				continue
			}
			assert.Contains(t, []any{"BAD_USER_INPUT", "CONFLICT"}, r.Errors[0].Extensions["code"],
				"the loser is told why: %s", r.Errors[0].Message)
		}
		assert.Equal(t, 1, wins, "exactly one write wins: %s", seen)
	}
	post := func(h []string, q string, v map[string]any) func() gqlResponse {
		return func() gqlResponse { return s.do(t, q, v, h...) }
	}

	t.Run("creates", func(t *testing.T) {
		for i, c := range countries {
			zone := func(who string) map[string]any {
				return map[string]any{"name": fmt.Sprintf("%s %d", who, i), "countries": []string{c},
					"transitMinDays": 1, "transitMaxDays": 3, "price": 1500}
			}
			race(t, [2]func() gqlResponse{
				post(alice, createZone, vars("in", zone("Alice"))),
				post(bob, createZone, vars("in", zone("Bob"))),
			})
			n := 0
			for _, z := range db.ShippingZone.Query().AllX(ctx) {
				if slices.Contains(z.Countries, c) {
					n++
				}
			}
			assert.Equal(t, 1, n, "%s is in one zone", c)
		}
	})

	t.Run("updates", func(t *testing.T) {
		const update = `mutation($id: ID!, $c: [String!]) { updateShippingZone(id: $id, input: { countries: $c }) {
		  shippingZone { id } } }`
		var a, bz struct {
			CreateShippingZone struct{ ShippingZone struct{ ID string } }
		}
		s.must(t, createZone, vars("in", map[string]any{"name": "Alice's", "countries": []string{},
			"transitMinDays": 1, "transitMaxDays": 3, "price": 1500}), &a, alice...)
		s.must(t, createZone, vars("in", map[string]any{"name": "Bob's", "countries": []string{},
			"transitMinDays": 1, "transitMaxDays": 3, "price": 1500}), &bz, bob...)
		for _, c := range []string{"SG", "HK", "TW", "TH", "MY"} {
			race(t, [2]func() gqlResponse{
				post(alice, update, vars("id", a.CreateShippingZone.ShippingZone.ID, "c", []string{c})),
				post(bob, update, vars("id", bz.CreateShippingZone.ShippingZone.ID, "c", []string{c})),
			})
		}
		// Every zone's countries still pass the cross-zone checks.
		owner := map[string]string{}
		for _, z := range db.ShippingZone.Query().AllX(ctx) {
			for _, c := range z.Countries {
				assert.Empty(t, owner[c], "%s in %s and %s", c, owner[c], z.Name)
				owner[c] = z.Name
			}
		}
	})
}
