package catalog

import (
	"fmt"
	"strconv"
)

// Change is one difference between two snapshots of a product's catalog.
type Change struct {
	// Action is ADDED, REMOVED or CHANGED.
	Action string
	// Entity is Product, OptionGroup, OptionValue, Rule, PriceRule or PriceTier.
	Entity string
	// Key names the record: a group key, `group/option`, a rule key, a price rule's label or a
	// tier's minimum quantity.
	Key string
	// Field is the field that changed (CHANGED only).
	Field string
	// Before and After are the old and new values (CHANGED only), as text.
	Before, After string
}

// The actions of a Change.
const (
	Added   = "ADDED"
	Removed = "REMOVED"
	Changed = "CHANGED"
)

// field is one named value of a record, compared as text.
type field struct{ name, value string }

// record is something a diff matches by key across two snapshots.
type record struct {
	key    string
	fields []field
}

// Diff lists what changes from old to new, in page order: the product's own fields, then each
// group with its options, then rules, price rules and tiers. A nil old (nothing published yet)
// makes everything in new ADDED.
func Diff(old, new *Snapshot) []Change {
	if old == nil {
		old = &Snapshot{}
	}
	if new == nil {
		new = &Snapshot{}
	}
	var out []Change
	out = append(out, diffFields("Product", new.Slug, productFields(old), productFields(new))...)
	out = append(out, diffRecords("OptionGroup", groupRecords(old), groupRecords(new))...)
	oldGroups := map[string]Group{}
	for _, g := range old.Groups {
		oldGroups[g.Key] = g
	}
	for _, g := range new.Groups {
		out = append(out, diffRecords("OptionValue",
			optionRecords(g.Key, oldGroups[g.Key].Options), optionRecords(g.Key, g.Options))...)
	}
	rules := func(s *Snapshot) []record {
		rs := make([]record, len(s.Rules))
		for i, r := range s.Rules {
			rs[i] = record{r.Key, []field{{"expression", r.Expression}, {"message", r.Message}}}
		}
		return rs
	}
	out = append(out, diffRecords("Rule", rules(old), rules(new))...)
	prices := func(s *Snapshot) []record {
		rs := make([]record, len(s.PriceRules))
		for i, p := range s.PriceRules {
			rs[i] = record{p.Label, []field{{"condition", p.Condition}, {"amount", money(p.Amount)}}}
		}
		return rs
	}
	out = append(out, diffRecords("PriceRule", prices(old), prices(new))...)
	tiers := func(s *Snapshot) []record {
		rs := make([]record, len(s.Tiers))
		for i, t := range s.Tiers {
			rs[i] = record{strconv.Itoa(t.MinQuantity),
				[]field{{"discountBasisPoints", strconv.Itoa(t.DiscountBasisPoints)}}}
		}
		return rs
	}
	return append(out, diffRecords("PriceTier", tiers(old), tiers(new))...)
}

// money renders minor units as an integer: the client formats it in the product's currency.
func money(amount int64) string { return strconv.FormatInt(amount, 10) }

func productFields(s *Snapshot) []field {
	if s.Slug == "" {
		return nil
	}
	return []field{
		{"name", s.Name}, {"style", s.Style}, {"currency", s.Currency},
		{"basePrice", money(s.BasePrice)},
		{"buildDaysMin", strconv.Itoa(s.BuildDaysMin)}, {"buildDaysMax", strconv.Itoa(s.BuildDaysMax)},
		{"piecesPerExtraDay", strconv.Itoa(s.PiecesPerExtraDay)},
		{"depositBasisPoints", strconv.Itoa(s.DepositBasisPoints)},
	}
}

func groupRecords(s *Snapshot) []record {
	rs := make([]record, len(s.Groups))
	for i, g := range s.Groups {
		rs[i] = record{g.Key, []field{
			{"name", g.Name}, {"description", g.Description}, {"kind", g.Kind},
			{"required", strconv.FormatBool(g.Required)},
			{"minSelect", strconv.Itoa(g.MinSelect)}, {"maxSelect", strconv.Itoa(g.MaxSelect)},
			{"maxLength", strconv.Itoa(g.MaxLength)}, {"allowedCharacters", g.AllowedCharacters},
			{"numberMin", strconv.Itoa(g.NumberMin)}, {"numberMax", strconv.Itoa(g.NumberMax)},
			{"numberStep", strconv.Itoa(g.NumberStep)}, {"unit", g.Unit},
			{"previewRole", g.PreviewRole}, {"position", strconv.Itoa(i + 1)},
		}}
	}
	return rs
}

func optionRecords(group string, opts []Option) []record {
	rs := make([]record, len(opts))
	for i, o := range opts {
		rs[i] = record{group + "/" + o.Key, []field{
			{"name", o.Name}, {"description", o.Description}, {"priceDelta", money(o.PriceDelta)},
			{"leadDays", strconv.Itoa(o.LeadDays)}, {"swatch", o.Swatch},
			{"previewAsset", o.PreviewAsset}, {"position", strconv.Itoa(i + 1)},
		}}
	}
	return rs
}

// diffFields compares one record's fields; a record absent on one side (no fields) is ignored,
// since the product itself always exists.
func diffFields(entity, key string, old, new []field) []Change {
	if len(old) == 0 || len(old) != len(new) {
		return nil
	}
	var out []Change
	for i := range new {
		if old[i].value != new[i].value {
			out = append(out, Change{Action: Changed, Entity: entity, Key: key, Field: new[i].name,
				Before: old[i].value, After: new[i].value})
		}
	}
	return out
}

// diffRecords matches records by key: new ones first-to-last as ADDED or CHANGED, then those
// that are gone as REMOVED.
func diffRecords(entity string, old, new []record) []Change {
	byKey := make(map[string]record, len(old))
	for _, r := range old {
		byKey[r.key] = r
	}
	var out []Change
	seen := map[string]bool{}
	for _, r := range new {
		seen[r.key] = true
		prev, ok := byKey[r.key]
		if !ok {
			out = append(out, Change{Action: Added, Entity: entity, Key: r.key})
			continue
		}
		out = append(out, diffFields(entity, r.key, prev.fields, r.fields)...)
	}
	for _, r := range old {
		if !seen[r.key] {
			out = append(out, Change{Action: Removed, Entity: entity, Key: r.key})
		}
	}
	return out
}

// String renders c for logs and tests.
func (c Change) String() string {
	if c.Action == Changed {
		return fmt.Sprintf("%s %s %s.%s: %q → %q", c.Action, c.Entity, c.Key, c.Field, c.Before, c.After)
	}
	return fmt.Sprintf("%s %s %s", c.Action, c.Entity, c.Key)
}
