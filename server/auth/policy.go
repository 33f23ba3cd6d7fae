package auth

import (
	"context"

	entgo "entgo.io/ent"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/accesslink"
	"github.com/atelier/atelier/ent/catalogchange"
	"github.com/atelier/atelier/ent/catalogversion"
	"github.com/atelier/atelier/ent/optiongroup"
	"github.com/atelier/atelier/ent/optionvalue"
	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/orderevent"
	"github.com/atelier/atelier/ent/orderline"
	"github.com/atelier/atelier/ent/payment"
	"github.com/atelier/atelier/ent/paymentrequest"
	"github.com/atelier/atelier/ent/photo"
	"github.com/atelier/atelier/ent/pricerule"
	"github.com/atelier/atelier/ent/pricetier"
	"github.com/atelier/atelier/ent/privacy"
	"github.com/atelier/atelier/ent/product"
	"github.com/atelier/atelier/ent/rule"
	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/ent/webhookevent"
)

// This file is the one place that says who reads what. Every ent schema returns one of these
// policies from Policy(), so node, nodes, every edge, every connection and every service query
// pass through them: a record a viewer may not read is filtered out of the query, exactly as if
// it did not exist (NOT_FOUND, a null in nodes, an empty list). Writes are guarded by the
// mutations' role checks; these are read policies only.
//
//	DESIGNER            the whole catalog, drafts and audit trail included; no orders
//	WORKSHOP            orders, their events, payments and photos; the published catalog
//	order token         its own order, its events, payments and photos; the published catalog
//	anonymous, revoked  the published catalog (products that are not DRAFT, their versions)
//	System(ctx)         everything, for internal work that acts for no caller

// System returns ctx allowed to read every record. Use it only for work that acts for no caller
// (seeding, checking a bearer token, the token CLI, replaying events to a subscriber already
// authorised), never around a request's own reads.
func System(ctx context.Context) context.Context {
	return privacy.DecisionContext(ctx, privacy.Allow)
}

// hasRole reports whether ctx's viewer is authenticated staff with role.
func hasRole(ctx context.Context, role stafftoken.Role) bool {
	v := FromContext(ctx)
	return v.IsStaff() && v.Role == role
}

// ownOrder returns the order an authenticated order token opens (0 for none).
func ownOrder(ctx context.Context) int {
	v := FromContext(ctx)
	if v.Err != nil {
		return 0
	}
	return v.OrderID
}

// allowRole allows every record to viewers with role and passes the others on.
func allowRole(role stafftoken.Role) privacy.QueryRule {
	return privacy.QueryRuleFunc(func(ctx context.Context, _ ent.Query) error {
		if hasRole(ctx, role) {
			return privacy.Allow
		}
		return privacy.Skip
	})
}

// policy builds a read policy from query rules.
func policy(rules ...privacy.QueryRule) entgo.Policy {
	return privacy.Policy{Query: rules}
}

// ProductPolicy: DESIGNER reads every product, everyone else the published ones (not DRAFT).
func ProductPolicy() entgo.Policy {
	return policy(allowRole(stafftoken.RoleDesigner),
		privacy.ProductQueryRuleFunc(func(_ context.Context, q *ent.ProductQuery) error {
			q.Where(product.StatusNEQ(product.StatusDraft))
			return privacy.Allow
		}))
}

// CatalogVersionPolicy: published snapshots of products that are not DRAFT, for everyone;
// all of them for DESIGNER.
func CatalogVersionPolicy() entgo.Policy {
	return policy(allowRole(stafftoken.RoleDesigner),
		privacy.CatalogVersionQueryRuleFunc(func(_ context.Context, q *ent.CatalogVersionQuery) error {
			q.Where(catalogversion.HasProductWith(product.StatusNEQ(product.StatusDraft)))
			return privacy.Allow
		}))
}

// OptionGroupPolicy: draft groups are DESIGNER's (customers read the published snapshot).
func OptionGroupPolicy() entgo.Policy {
	return policy(allowRole(stafftoken.RoleDesigner),
		privacy.OptionGroupQueryRuleFunc(func(_ context.Context, q *ent.OptionGroupQuery) error {
			q.Where(optiongroup.IDIn()) // IN () is false: nothing
			return privacy.Allow
		}))
}

// OptionValuePolicy: draft options are DESIGNER's.
func OptionValuePolicy() entgo.Policy {
	return policy(allowRole(stafftoken.RoleDesigner),
		privacy.OptionValueQueryRuleFunc(func(_ context.Context, q *ent.OptionValueQuery) error {
			q.Where(optionvalue.IDIn())
			return privacy.Allow
		}))
}

// RulePolicy: compatibility rules of the draft are DESIGNER's.
func RulePolicy() entgo.Policy {
	return policy(allowRole(stafftoken.RoleDesigner),
		privacy.RuleQueryRuleFunc(func(_ context.Context, q *ent.RuleQuery) error {
			q.Where(rule.IDIn())
			return privacy.Allow
		}))
}

// PriceRulePolicy: price rules of the draft are DESIGNER's.
func PriceRulePolicy() entgo.Policy {
	return policy(allowRole(stafftoken.RoleDesigner),
		privacy.PriceRuleQueryRuleFunc(func(_ context.Context, q *ent.PriceRuleQuery) error {
			q.Where(pricerule.IDIn())
			return privacy.Allow
		}))
}

// PriceTierPolicy: quantity tiers of the draft are DESIGNER's.
func PriceTierPolicy() entgo.Policy {
	return policy(allowRole(stafftoken.RoleDesigner),
		privacy.PriceTierQueryRuleFunc(func(_ context.Context, q *ent.PriceTierQuery) error {
			q.Where(pricetier.IDIn())
			return privacy.Allow
		}))
}

// CatalogChangePolicy: the audit trail (staff names, before and after) is DESIGNER's.
func CatalogChangePolicy() entgo.Policy {
	return policy(allowRole(stafftoken.RoleDesigner),
		privacy.CatalogChangeQueryRuleFunc(func(_ context.Context, q *ent.CatalogChangeQuery) error {
			q.Where(catalogchange.IDIn())
			return privacy.Allow
		}))
}

// OrderPolicy: WORKSHOP reads every order, an order token its own; nobody else any.
func OrderPolicy() entgo.Policy {
	return policy(allowRole(stafftoken.RoleWorkshop),
		privacy.OrderQueryRuleFunc(func(ctx context.Context, q *ent.OrderQuery) error {
			q.Where(order.IDIn(ownIDs(ctx)...))
			return privacy.Allow
		}))
}

// OrderEventPolicy: an order's timeline goes with the order.
func OrderEventPolicy() entgo.Policy {
	return policy(allowRole(stafftoken.RoleWorkshop),
		privacy.OrderEventQueryRuleFunc(func(ctx context.Context, q *ent.OrderEventQuery) error {
			q.Where(orderevent.HasOrderWith(order.IDIn(ownIDs(ctx)...)))
			return privacy.Allow
		}))
}

// PaymentPolicy: an order's payments go with the order.
func PaymentPolicy() entgo.Policy {
	return policy(allowRole(stafftoken.RoleWorkshop),
		privacy.PaymentQueryRuleFunc(func(ctx context.Context, q *ent.PaymentQuery) error {
			q.Where(payment.HasOrderWith(order.IDIn(ownIDs(ctx)...)))
			return privacy.Allow
		}))
}

// PhotoPolicy: an order's photos go with the order.
func PhotoPolicy() entgo.Policy {
	return policy(allowRole(stafftoken.RoleWorkshop),
		privacy.PhotoQueryRuleFunc(func(ctx context.Context, q *ent.PhotoQuery) error {
			q.Where(photo.HasOrderWith(order.IDIn(ownIDs(ctx)...)))
			return privacy.Allow
		}))
}

// PaymentRequestPolicy: the payments asked of an order go with the order.
func PaymentRequestPolicy() entgo.Policy {
	return policy(allowRole(stafftoken.RoleWorkshop),
		privacy.PaymentRequestQueryRuleFunc(func(ctx context.Context, q *ent.PaymentRequestQuery) error {
			q.Where(paymentrequest.HasOrderWith(order.IDIn(ownIDs(ctx)...)))
			return privacy.Allow
		}))
}

// AccessLinkPolicy: secret links are read only by System work (authentication, redemption).
func AccessLinkPolicy() entgo.Policy {
	return policy(privacy.AccessLinkQueryRuleFunc(func(_ context.Context, q *ent.AccessLinkQuery) error {
		q.Where(accesslink.IDIn())
		return privacy.Allow
	}))
}

// WebhookEventPolicy: the applied webhook events are read only by System work.
func WebhookEventPolicy() entgo.Policy {
	return policy(privacy.WebhookEventQueryRuleFunc(func(_ context.Context, q *ent.WebhookEventQuery) error {
		q.Where(webhookevent.IDIn())
		return privacy.Allow
	}))
}

// ShippingZonePolicy: shipping zones are public (the destination picker lists them).
func ShippingZonePolicy() entgo.Policy {
	return policy(privacy.AlwaysAllowRule())
}

// StaffTokenPolicy: token records are read only by System work (authentication, the CLI).
func StaffTokenPolicy() entgo.Policy {
	none := func(_ context.Context, q *ent.StaffTokenQuery) error {
		q.Where(stafftoken.IDIn())
		return privacy.Allow
	}
	return policy(privacy.StaffTokenQueryRuleFunc(none))
}

// ownIDs lists the order ctx's order token opens: none or one.
func ownIDs(ctx context.Context) []int {
	if id := ownOrder(ctx); id != 0 {
		return []int{id}
	}
	return nil
}

// OrderLinePolicy: an order's lines go with the order.
func OrderLinePolicy() entgo.Policy {
	return policy(allowRole(stafftoken.RoleWorkshop),
		privacy.OrderLineQueryRuleFunc(func(ctx context.Context, q *ent.OrderLineQuery) error {
			q.Where(orderline.HasOrderWith(order.IDIn(ownIDs(ctx)...)))
			return privacy.Allow
		}))
}

// BundlePolicy: bundles (capsule collections) are public, like the published catalog.
func BundlePolicy() entgo.Policy {
	return policy()
}
