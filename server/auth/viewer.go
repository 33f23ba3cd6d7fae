package auth

import (
	"context"
	"crypto/subtle"
	"strings"
	"time"

	"github.com/atelier/atelier/ent"
	"github.com/atelier/atelier/ent/order"
	"github.com/atelier/atelier/ent/stafftoken"
	"github.com/atelier/atelier/server/fault"
)

// OrderTokenPrefix marks order access tokens.
const OrderTokenPrefix = "atl_order_"

// Viewer is who a request acts for.
type Viewer struct {
	// Name is the staff member's name (empty for customers).
	Name string
	// Role is the staff role (empty for customers).
	Role stafftoken.Role
	// OrderID is the order an order token opens (0 otherwise).
	OrderID int
	// Err is set when the request carried a token that does not authenticate: requests that
	// need a viewer fail with it, public ones proceed as anonymous.
	Err error
	// hash is a staff viewer's token hash, for Recheck.
	hash []byte
}

// IsStaff reports whether v is an authenticated staff member.
func (v *Viewer) IsStaff() bool { return v != nil && v.Err == nil && v.Role != "" }

// Actor names v in audit trails and order timelines.
func (v *Viewer) Actor() string {
	switch {
	case v.Name != "":
		return v.Name
	case v != nil && v.OrderID != 0:
		return "customer"
	default:
		return "anonymous"
	}
}

type viewerKey struct{}

// NewContext returns ctx carrying v.
func NewContext(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// FromContext returns the viewer in ctx (an anonymous one when there is none).
func FromContext(ctx context.Context) *Viewer {
	if v, ok := ctx.Value(viewerKey{}).(*Viewer); ok && v != nil {
		return v
	}
	return &Viewer{}
}

// errInvalidToken is the one message for every token that does not authenticate, so that a
// caller learns nothing about which tokens exist.
var errInvalidToken = fault.New(fault.Unauthenticated, "the token is invalid or revoked")

// Authenticator turns bearer tokens into viewers.
type Authenticator struct {
	client *ent.Client
	now    func() time.Time
}

// NewAuthenticator returns an Authenticator reading tokens through client.
func NewAuthenticator(client *ent.Client, now func() time.Time) *Authenticator {
	if now == nil {
		now = time.Now
	}
	return &Authenticator{client: client, now: now}
}

// Authenticate returns the viewer of token ("" gives an anonymous viewer). Database failures
// are returned as errors; a token that does not authenticate gives a viewer with Err set.
func (a *Authenticator) Authenticate(ctx context.Context, token string) (*Viewer, error) {
	if token == "" {
		return &Viewer{}, nil
	}
	hash := Hash(token)
	// Nobody is signed in yet: the lookup of the token itself acts for no caller.
	ctx = System(ctx)
	switch {
	case strings.HasPrefix(token, staffTokenPrefix):
		row, err := a.client.StaffToken.Query().Where(stafftoken.TokenHash(hash)).Only(ctx)
		if ent.IsNotFound(err) {
			return &Viewer{Err: errInvalidToken}, nil
		}
		if err != nil {
			return nil, err
		}
		// The lookup is by hash already; the comparison keeps the check constant-time anyway.
		if subtle.ConstantTimeCompare(row.TokenHash, hash) != 1 || row.RevokedAt != nil {
			return &Viewer{Err: errInvalidToken}, nil
		}
		if row.LastUsedAt == nil || a.now().Sub(*row.LastUsedAt) > time.Minute {
			// Best effort, at most once a minute per token: a failure must not refuse the request.
			_ = a.client.StaffToken.UpdateOneID(row.ID).SetLastUsedAt(a.now()).Exec(ctx)
		}
		return &Viewer{Name: row.Name, Role: row.Role, hash: hash}, nil
	case strings.HasPrefix(token, OrderTokenPrefix):
		row, err := a.client.Order.Query().Where(order.TokenHash(hash)).Select(order.FieldID, order.FieldTokenHash).Only(ctx)
		if ent.IsNotFound(err) {
			return &Viewer{Err: errInvalidToken}, nil
		}
		if err != nil {
			return nil, err
		}
		if subtle.ConstantTimeCompare(row.TokenHash, hash) != 1 {
			return &Viewer{Err: errInvalidToken}, nil
		}
		return &Viewer{OrderID: row.ID}, nil
	case strings.HasPrefix(token, LinkTokenPrefix):
		return a.linkViewer(ctx, token)
	default:
		return &Viewer{Err: errInvalidToken}, nil
	}
}

// RequireRole returns the staff viewer of ctx if it has one of roles: UNAUTHENTICATED without a
// valid token, FORBIDDEN with the wrong one.
func RequireRole(ctx context.Context, roles ...stafftoken.Role) (*Viewer, error) {
	v := FromContext(ctx)
	if v.Err != nil {
		return nil, v.Err
	}
	if !v.IsStaff() {
		if v.OrderID != 0 {
			return nil, fault.New(fault.Forbidden, "an order token cannot do this; staff only")
		}
		return nil, fault.New(fault.Unauthenticated, "sign in with a staff token (Authorization: Bearer …)")
	}
	for _, r := range roles {
		if v.Role == r {
			return v, nil
		}
	}
	return nil, fault.New(fault.Forbidden, "the %s role cannot do this", strings.ToLower(string(v.Role)))
}

// CanReadOrder checks that ctx's viewer may read order id: its customer (order token) or the
// WORKSHOP (designers edit the catalog and read no orders, as OrderPolicy says).
func CanReadOrder(ctx context.Context, id int) error {
	v := FromContext(ctx)
	switch {
	case v.Err != nil:
		return v.Err
	case v.IsStaff() && v.Role == stafftoken.RoleWorkshop:
		return nil
	case v.IsStaff():
		return fault.New(fault.Forbidden, "orders are for the workshop and their customer")
	case v.OrderID == id:
		return nil
	case v.OrderID != 0:
		return fault.New(fault.Forbidden, "this order token opens another order")
	default:
		return fault.New(fault.Unauthenticated, "send the order token (Authorization: Bearer …) to follow this order")
	}
}

// RequireCustomer checks that ctx's viewer is the customer of order id, by its order token (or
// link): staff get FORBIDDEN, since nobody answers for the customer; another order's token gets
// FORBIDDEN and no token UNAUTHENTICATED, as with CanReadOrder.
func RequireCustomer(ctx context.Context, id int) (*Viewer, error) {
	v := FromContext(ctx)
	switch {
	case v.Err != nil:
		return nil, v.Err
	case v.IsStaff():
		return nil, fault.New(fault.Forbidden, "only the customer answers a proof, with their "+
			"order token: staff cannot answer on their behalf")
	case v.OrderID == id:
		return v, nil
	case v.OrderID != 0:
		return nil, fault.New(fault.Forbidden, "this order token opens another order")
	default:
		return nil, fault.New(fault.Unauthenticated, "send the order token (Authorization: Bearer …) to answer a proof")
	}
}

// Context authenticates bearer and returns ctx carrying the viewer. The error is the viewer's
// own (a token that does not authenticate) or a failure to check it; the returned context is
// usable in the first case, so public operations can still proceed as anonymous.
func (a *Authenticator) Context(ctx context.Context, bearer string) (context.Context, error) {
	v, err := a.Authenticate(ctx, bearer)
	if err != nil {
		return ctx, fault.Wrap(fault.Unavailable, err, "cannot check credentials right now")
	}
	return NewContext(ctx, v), v.Err
}

// Recheck checks again that the staff token of ctx's viewer is still valid, for a connection
// that authenticated once and runs operations long after (WebSocket): a token revoked since,
// on any instance, leaves ctx with a viewer whose Err is set, as a revoked token would over
// HTTP. Viewers other than staff are returned unchanged. A failure to check is UNAVAILABLE.
func (a *Authenticator) Recheck(ctx context.Context) (context.Context, error) {
	v := FromContext(ctx)
	if !v.IsStaff() || v.hash == nil {
		return ctx, nil
	}
	// The token's record is read as System, as Authenticate does; ctx itself stays the caller's.
	row, err := a.client.StaffToken.Query().Where(stafftoken.TokenHash(v.hash)).Only(System(ctx))
	switch {
	case ent.IsNotFound(err):
		return NewContext(ctx, &Viewer{Err: errInvalidToken}), nil
	case err != nil:
		return ctx, fault.Wrap(fault.Unavailable, err, "cannot check credentials right now")
	case row.RevokedAt != nil:
		return NewContext(ctx, &Viewer{Err: errInvalidToken}), nil
	case row.Role != v.Role || row.Name != v.Name:
		return NewContext(ctx, &Viewer{Name: row.Name, Role: row.Role, hash: v.hash}), nil
	}
	return ctx, nil
}
