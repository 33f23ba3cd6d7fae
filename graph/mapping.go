package graph

import (
	"context"
	"reflect"
	"strconv"
	"time"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/optiongroup"
	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/graph/model"
	"github.com/atelier/atelier/server/auth"
	"github.com/atelier/atelier/server/catalog"
	"github.com/atelier/atelier/server/events"
	"github.com/atelier/atelier/server/fault"
	"github.com/atelier/atelier/server/photo"
)

// money maps an amount in minor units to the GraphQL Money type.
func money(amount int64, currency string) *model.Money {
	return &model.Money{Amount: int(amount), Currency: currency}
}

// catalogGroups maps a published snapshot's groups to the GraphQL catalog types.
func catalogGroups(s *catalog.Snapshot) []*model.CatalogGroup {
	out := make([]*model.CatalogGroup, 0, len(s.Groups))
	for _, g := range s.Groups {
		mg := &model.CatalogGroup{
			ID: strconv.Itoa(g.ID), Key: g.Key, Name: g.Name, Description: g.Description,
			Kind: optiongroup.Kind(g.Kind), Required: g.Required,
			MinSelect: g.MinSelect, MaxSelect: g.MaxSelect, MaxLength: g.MaxLength,
			AllowedCharacters: g.AllowedCharacters, NumberMin: g.NumberMin,
			NumberMax: g.NumberMax, NumberStep: g.NumberStep, Unit: g.Unit,
			PreviewRole: g.PreviewRole, Options: make([]*model.CatalogOption, 0, len(g.Options)),
		}
		for _, o := range g.Options {
			mg.Options = append(mg.Options, &model.CatalogOption{
				ID: strconv.Itoa(o.ID), Key: o.Key, Name: o.Name, Description: o.Description,
				PriceDelta: money(o.PriceDelta, s.Currency), LeadDays: o.LeadDays,
				Swatch: o.Swatch, PreviewAsset: o.PreviewAsset,
			})
		}
		out = append(out, mg)
	}
	return out
}

// entID parses the integer ID of an ent record; anything else names no record.
func entID(id string) (int, error) {
	n, err := strconv.Atoi(id)
	if err != nil || n <= 0 {
		return 0, fault.New(fault.NotFound, "no record %q", id)
	}
	return n, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// orderedSelections maps an order snapshot's choices.
func orderedSelections(s *catalog.OrderSnapshot) []*model.OrderedSelection {
	out := make([]*model.OrderedSelection, 0, len(s.Selections))
	for _, v := range s.Selections {
		out = append(out, &model.OrderedSelection{
			Group: v.Group, GroupName: v.GroupName, Option: optional(v.Option),
			OptionName: optional(v.OptionName), Text: optional(v.Text),
		})
	}
	return out
}

// queueChanges maps the bus's queue changes to the API's, until in is closed or ctx is done.
func queueChanges(ctx context.Context, in <-chan events.QueueChange) <-chan *model.OrderQueueChange {
	out := make(chan *model.OrderQueueChange, 1)
	go func() {
		defer close(out)
		for c := range in {
			m := &model.OrderQueueChange{}
			if !c.Resync {
				id, status := strconv.Itoa(c.OrderID), order.Status(c.Status)
				m.OrderID, m.Status = &id, &status
			}
			select {
			case out <- m:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// findMyOrderMessage is the one answer of findMyOrder, whether or not an order matched.
const findMyOrderMessage = "If an order with this number was placed with this email address, " +
	"we have sent it a sign-in link. It works once, for 30 minutes."

// paymentDue maps an open payment request (nil: none).
func paymentDue(req *ent.PaymentRequest, currency string) *model.PaymentDue {
	if req == nil {
		return nil
	}
	return &model.PaymentDue{
		Kind: model.PaymentKind(req.Kind), Amount: money(req.Amount, currency),
		ClientSecret: req.ClientSecret,
	}
}

// orderReadable checks that ctx may read the customer's details and the timeline of o: the
// holder of its token, the WORKSHOP, or the placeOrder answer that created it (which hands its
// caller the token). An idempotent placeOrder replay without the token gets FORBIDDEN here: the
// configuration id and key are not credentials.
func orderReadable(ctx context.Context, o *ent.Order, field string) error {
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		if p, ok := fc.Result.(*model.PlaceOrderPayload); ok && p.OrderToken != "" && p.Order == o {
			return nil
		}
	}
	if auth.CanReadOrder(ctx, o.ID) != nil {
		return &fault.Error{Code: fault.Forbidden, Field: field,
			Msg: "the customer's details and timeline are shown only with the order token"}
	}
	return nil
}

// wherePredicate is a generated WhereInput: P fails on an empty predicate such as {not: {}}.
type wherePredicate[P any] interface{ P() (P, error) }

// pageArgs checks a connection's cursors and filter before they reach the database: a cursor
// must carry a scalar ordering value only when the connection is ordered by a field (a crafted
// one with a map or list would reach SQL), and where must be a predicate.
func pageArgs[P any, W wherePredicate[P]](
	after, before *entgql.Cursor[int], ordered bool, where W,
) error {
	for name, c := range map[string]*entgql.Cursor[int]{"after": after, "before": before} {
		if c != nil && (c.ID <= 0 || !cursorValue(c.Value, ordered)) {
			return fault.BadInput(name, "%s is not a cursor of this list", name)
		}
	}
	// No where, or an empty one ({}), is no filter, as entgql's Filter treats it; an empty
	// condition inside it (not: {}, and: [{}]) is a mistake.
	if v := reflect.ValueOf(where); v.IsNil() || v.Elem().IsZero() {
		return nil
	}
	if _, err := where.P(); err != nil {
		return fault.BadInput("where", "where has an empty condition (such as not: {})")
	}
	return nil
}

// cursorValue reports whether v can be a cursor's ordering value.
func cursorValue(v any, ordered bool) bool {
	if !ordered {
		return v == nil
	}
	switch v.(type) {
	case string, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64,
		float32, float64, time.Time:
		return true
	}
	return false
}

// photoIDs parses the ids of photos to post.
func photoIDs(ids []string) ([]int, error) {
	out := make([]int, 0, len(ids))
	for _, s := range ids {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return nil, fault.BadInput("photoIds", "%q is not a photo id", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// photoSize maps a GraphQL photo size to the stored one.
func photoSize(s model.PhotoSize) photo.Size {
	if s == model.PhotoSizeThumb {
		return photo.Thumb
	}
	return photo.Display
}
